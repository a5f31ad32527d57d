using System.Text;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// A simple sentence-end rule for check points: a terminator followed by whitespace or at the end of the text
/// received so far (a token often ends with the period), or a line break. Check
/// points only decide when to ask the guard, never what is released, so an imperfect rule costs latency, not safety.
/// </summary>
internal static class SentenceEnds
{
    /// <summary>Whether <paramref name="text"/> has a sentence end at or after <paramref name="from"/>.</summary>
    public static bool Any(StringBuilder text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                return true;
            }

            if (IsTerminator(c) && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';
}
