namespace GuardGateway.Core.Moderation;

/// <summary>
/// Splits a long message into overlapping character ranges for chunked classification. Consecutive chunks
/// share at least <c>overlap</c> characters, so any phrase of up to <c>overlap</c> characters lies whole inside
/// some chunk; boundaries never split a surrogate pair.
/// </summary>
internal static class ChunkPlanner
{
    /// <summary>An upper bound of the chunk count (before surrogate adjustments, which add at most one per boundary).</summary>
    public static long EstimateCount(int length, int size, int overlap)
    {
        if (length <= size)
        {
            return 1;
        }

        long step = size - overlap;
        return 1 + ((length - size + step - 1) / step);
    }

    public static List<Range> Plan(string text, int size, int overlap)
    {
        var ranges = new List<Range>();
        var step = size - overlap;
        var start = 0;
        while (true)
        {
            var end = Math.Min(start + size, text.Length);
            if (end < text.Length && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1]))
            {
                end++; // keep the pair: one code unit more, never less
            }

            ranges.Add(new Range(start, end));
            if (end >= text.Length)
            {
                return ranges;
            }

            var next = start + step;
            if (char.IsLowSurrogate(text[next]) && char.IsHighSurrogate(text[next - 1]))
            {
                next--; // start at the pair: one code unit more overlap
            }

            start = next;
        }
    }

    /// <summary>
    /// True when <paramref name="ranges"/> cover [0, length) without a gap and keep the promised overlap. A
    /// plan that does not is a bug, and classifying it would be a silent truncation.
    /// </summary>
    public static bool Covers(IReadOnlyList<Range> ranges, int length, int overlap)
    {
        if (ranges.Count == 0 || ranges[0].Start.Value != 0 || ranges[^1].End.Value != length)
        {
            return false;
        }

        for (var i = 1; i < ranges.Count; i++)
        {
            var previous = ranges[i - 1];
            var current = ranges[i];
            if (current.Start.Value <= previous.Start.Value || current.Start.Value > previous.End.Value - overlap)
            {
                return false;
            }
        }

        return true;
    }
}
