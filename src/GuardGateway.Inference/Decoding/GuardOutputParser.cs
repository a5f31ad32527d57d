using System.Text.RegularExpressions;
using GuardGateway.Inference.Prompts;

namespace GuardGateway.Inference.Decoding;

/// <summary>
/// The strict guard output grammar (spec §4): after trimming, <c>safe</c>, or <c>unsafe\n</c> followed by
/// <c>S&lt;n&gt;(,S&lt;n&gt;)*</c> naming only enabled codes. Everything else is a parse failure, never safe.
/// Codes are parsed from the text, not from token boundaries (<c>,S</c> is one token).
/// </summary>
public static partial class GuardOutputParser
{
    /// <summary>Parses the decoded answer against the codes that were in the prompt.</summary>
    public static GuardOutput Parse(string? text, IReadOnlyCollection<string> enabledCodes)
    {
        ArgumentNullException.ThrowIfNull(enabledCodes);
        if (text is null)
        {
            return GuardOutput.Failure("The guard produced no output.");
        }

        var trimmed = TemplateWhitespace.Trim(text);
        if (trimmed.Length == 0)
        {
            return GuardOutput.Failure("The guard produced an empty answer.");
        }

        if (trimmed == "safe")
        {
            return GuardOutput.Safe;
        }

        var lines = trimmed.Split('\n');
        if (lines[0] != "unsafe")
        {
            return GuardOutput.Failure("The first line is neither 'safe' nor 'unsafe'.");
        }

        if (lines.Length == 1)
        {
            return GuardOutput.Failure("'unsafe' without a list of categories.");
        }

        if (lines.Length > 2)
        {
            return GuardOutput.Failure("The answer has more than two lines.");
        }

        if (!CodeListPattern().IsMatch(lines[1]))
        {
            return GuardOutput.Failure("The second line is not a comma-separated list of S<n> codes.");
        }

        var codes = new List<string>();
        foreach (var code in lines[1].Split(','))
        {
            if (!enabledCodes.Contains(code))
            {
                return GuardOutput.Failure($"The answer names {code}, which was not in the prompt.");
            }

            if (!codes.Contains(code))
            {
                codes.Add(code);
            }
        }

        return new GuardOutput(GuardOutputKind.Unsafe, codes, null);
    }

    [GeneratedRegex("^S[1-9][0-9]{0,2}(,S[1-9][0-9]{0,2})*$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeListPattern();
}
