using System.Text.RegularExpressions;

namespace GuardGateway.Redaction.Detection;

/// <summary>
/// Well-known API key and token formats. Each pattern is anchored on a vendor prefix; the checks after the
/// match (a digit somewhere, no continuation into more key characters) keep prose such as
/// "sk-learn-is-a-library" out.
/// </summary>
internal sealed partial class ApiKeyDetector : IPiiDetector
{
    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        Collect(text, AwsAccessKeyId(), PiiKind.AwsAccessKeyId, matches, cancellationToken);
        Collect(text, GitHubToken(), PiiKind.GitHubToken, matches, cancellationToken);
        Collect(text, OpenAIApiKey(), PiiKind.OpenAIApiKey, matches, cancellationToken);
        Collect(text, SlackToken(), PiiKind.SlackToken, matches, cancellationToken);
        Collect(text, GoogleApiKey(), PiiKind.GoogleApiKey, matches, cancellationToken);
        Collect(text, JsonWebToken(), PiiKind.JsonWebToken, matches, cancellationToken);
    }

    private static void Collect(string text, Regex pattern, PiiKind kind, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        foreach (var match in pattern.EnumerateMatches(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = match.Index + match.Length;
            if (end < text.Length && IsKeyChar(text[end]))
            {
                continue; // the fixed-length formats must not be the head of a longer word
            }

            if (kind is PiiKind.OpenAIApiKey or PiiKind.SlackToken && !HasDigitAndLetter(text.AsSpan(match.Index + 4, match.Length - 4)))
            {
                continue;
            }

            matches.Add(new PiiMatch(match.Index, match.Length, kind));
        }
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static bool HasDigitAndLetter(ReadOnlySpan<char> body) =>
        body.IndexOfAnyInRange('0', '9') >= 0 && (body.IndexOfAnyInRange('a', 'z') >= 0 || body.IndexOfAnyInRange('A', 'Z') >= 0);

    // All patterns are non-backtracking: linear time on any input, so no match timeout is needed.
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}", Options)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})", Options)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,400}", Options)]
    private static partial Regex OpenAIApiKey();

    [GeneratedRegex(@"\bxox[bpoas]-[A-Za-z0-9\-]{10,250}", Options)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}", Options)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{2,}\.eyJ[A-Za-z0-9_\-]{2,}\.[A-Za-z0-9_\-]*", Options)]
    private static partial Regex JsonWebToken();
}
