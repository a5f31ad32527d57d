namespace GuardGateway.Redaction.Segmentation;

/// <summary>
/// Recognizes a Markdown code fence (three or more <c>`</c> or <c>~</c>) so a code block becomes one segment:
/// sentence rules make no sense inside code, and a block is judged as a whole.
/// </summary>
internal static class FenceScanner
{
    /// <summary>
    /// Whether a fence opens at <paramref name="index"/> (the first non-blank char of a line); if so,
    /// <paramref name="end"/> is just after the closing fence run, at the end of the line for a one-line
    /// block, or the end of the text when the block is not closed (a stream cut mid-block, <paramref name="closed"/> false).
    /// </summary>
    public static bool TryMatch(string text, int index, out int end, out bool closed)
    {
        end = index;
        closed = true;
        var fence = text[index];
        if (fence is not ('`' or '~'))
        {
            return false;
        }

        var runLength = RunLength(text, index, fence);
        if (runLength < 3)
        {
            return false;
        }

        var lineEnd = LineEnd(text, index + runLength);
        var infoString = text.AsSpan(index + runLength, lineEnd - index - runLength);
        if (infoString.Contains(new string(fence, runLength), StringComparison.Ordinal))
        {
            end = lineEnd; // "```code```" on one line
            return true;
        }

        var lineStart = NextLineStart(text, lineEnd);
        while (lineStart < text.Length)
        {
            var first = lineStart;
            while (first < text.Length && text[first] is ' ' or '\t')
            {
                first++;
            }

            var closing = first < text.Length && text[first] == fence ? RunLength(text, first, fence) : 0;
            var nextLineEnd = LineEnd(text, first);
            if (closing >= runLength && text.AsSpan(first + closing, nextLineEnd - first - closing).IsWhiteSpace())
            {
                end = first + closing;
                return true;
            }

            lineStart = NextLineStart(text, nextLineEnd);
        }

        end = text.Length;
        closed = false;
        return true;
    }

    private static int RunLength(string text, int index, char c)
    {
        var j = index;
        while (j < text.Length && text[j] == c)
        {
            j++;
        }

        return j - index;
    }

    private static int LineEnd(string text, int index)
    {
        var j = index;
        while (j < text.Length && !TextChars.IsLineBreak(text[j]))
        {
            j++;
        }

        return j;
    }

    private static int NextLineStart(string text, int lineEnd)
    {
        if (lineEnd >= text.Length)
        {
            return text.Length;
        }

        return text[lineEnd] == '\r' && lineEnd + 1 < text.Length && text[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
    }
}
