using System.Text;
using System.Text.RegularExpressions;
using GuardGateway.Core.TextSafety;

namespace GuardGateway.TextSafety.Neutralization;

/// <summary>
/// The gateway's <see cref="IPromptNeutralizer"/>: rewrites what could pass for Llama Guard 3 template
/// structure inside a message (RELIABILITY.md, conversation-format injection), keeping the words readable:
/// <list type="bullet">
/// <item>every unusual line break (a lone CR, VT, FF, U+001C–U+001E, NEL, U+2028, U+2029) becomes LF, so "line
/// start" means one thing for the checks below and for the model (LF and CRLF stay);</item>
/// <item><c>&lt;</c> and <c>&gt;</c> and their lookalikes become <c>(</c> and <c>)</c>: no
/// <c>&lt;BEGIN CONVERSATION&gt;</c>, <c>&lt;END CONVERSATION&gt;</c>, category markers or <c>&lt;|…|&gt;</c>
/// special-token literals survive;</item>
/// <item>lines that start like a turn (<c>User:</c>, <c>Agent:</c>, <c>Assistant:</c>, <c>System:</c>, <c>Task:</c>…)
/// or read like a guard answer (<c>safe</c>, <c>unsafe</c>, <c>S1,S2</c>) are prefixed with <c>(quoted) </c>;</item>
/// <item>"Provide your safety assessment" becomes "Provide your safety-assessment".</item>
/// </list>
/// Linear (one pass plus two linear-time regular expressions); idempotent.
/// </summary>
public sealed partial class ConversationFormatNeutralizer : IPromptNeutralizer
{
    /// <summary>What a defused line is prefixed with.</summary>
    public const string QuotePrefix = "(quoted) ";

    private static readonly string[] RoleWords =
        ["user", "agent", "assistant", "system", "human", "ai", "model", "bot", "tool", "task", "developer", "ipython"];

    /// <summary>A shared instance (the type is stateless).</summary>
    public static ConversationFormatNeutralizer Instance { get; } = new();

    /// <inheritdoc />
    public NeutralizedText Neutralize(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var defused = 0;
        var text = ReplaceBreaksAndBrackets(content, ref defused);
        var phrases = 0;
        text = AssessmentPhrase().Replace(text, match =>
        {
            phrases++;
            return string.Concat(match.Groups[1].ValueSpan, "-", match.Groups[2].ValueSpan);
        });
        defused += phrases;
        text = QuoteLines(text, ref defused);
        return defused == 0 ? new NeutralizedText(content, 0) : new NeutralizedText(text, defused);
    }

    private static string ReplaceBreaksAndBrackets(string content, ref int defused)
    {
        StringBuilder? output = null;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            char replacement;
            if (c == '\r')
            {
                // CRLF is an ordinary line end: left alone, so Windows line ends alone never cost a variant call.
                if (i + 1 < content.Length && content[i + 1] == '\n')
                {
                    output?.Append("\r\n");
                    i++;
                    continue;
                }

                replacement = '\n';
            }
            else if (c is '\v' or '\f' or '\u001C' or '\u001D' or '\u001E' or '\u0085' or '\u2028' or '\u2029')
            {
                replacement = '\n';
            }
            else if (IsOpeningAngle(c))
            {
                replacement = '(';
            }
            else if (IsClosingAngle(c))
            {
                replacement = ')';
            }
            else
            {
                output?.Append(c);
                continue;
            }

            output ??= new StringBuilder(content.Length).Append(content, 0, i);
            output.Append(replacement);
            defused++;
        }

        return output?.ToString() ?? content;
    }

    // < ﹤ ＜ ‹ 〈 〈 ⟨ ˂ ᐸ and their closing counterparts.
    private static bool IsOpeningAngle(char c) => c is '<' or '\uFE64' or '\uFF1C' or '\u2039' or '\u2329' or '\u3008' or '\u27E8' or '\u02C2' or '\u1438';

    private static bool IsClosingAngle(char c) => c is '>' or '\uFE65' or '\uFF1E' or '\u203A' or '\u232A' or '\u3009' or '\u27E9' or '\u02C3' or '\u1433';

    private static string QuoteLines(string text, ref int defused)
    {
        StringBuilder? output = null;
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var indent = lineStart;
            while (indent < lineEnd && (text[indent] == '\t' || char.GetUnicodeCategory(text[indent]) == System.Globalization.UnicodeCategory.SpaceSeparator))
            {
                indent++;
            }

            var rest = text.AsSpan(indent, lineEnd - indent);
            if (StartsLikeATurn(rest) || (!rest.IsWhiteSpace() && VerdictLine().IsMatch(rest)))
            {
                output ??= new StringBuilder(text.Length + 32).Append(text, 0, lineStart);
                output.Append(text, lineStart, indent - lineStart).Append(QuotePrefix).Append(rest);
                defused++;
            }
            else
            {
                output?.Append(text, lineStart, lineEnd - lineStart);
            }

            if (lineEnd < text.Length)
            {
                output?.Append('\n');
            }

            lineStart = lineEnd + 1;
        }

        return output?.ToString() ?? text;
    }

    private static bool StartsLikeATurn(ReadOnlySpan<char> line)
    {
        foreach (var role in RoleWords)
        {
            if (!line.StartsWith(role, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var after = line[role.Length..].TrimStart(" \t");
            if (after.Length > 0 && after[0] is ':' or '\uFF1A' or '\uFE55' or '\u2236')
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(provide\s+your\s+safety)\s+(assessment)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex AssessmentPhrase();

    // A line a guard answer could consist of: safe / unsafe, optionally followed or replaced by category codes.
    [GeneratedRegex(@"^(?:(?:un)?safe\b[\s,.:;]*)?(?:S[0-9]{1,3}\b[\s,.;]*)*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex VerdictLine();
}
