using GuardGateway.Core.Redaction;

namespace GuardGateway.Redaction.Segmentation;

/// <summary>
/// Splits model output into sentences, list items, lines and whole fenced code blocks, with exact UTF-16
/// offsets at text-element (grapheme cluster) boundaries. One left-to-right pass: the cost is linear in the
/// text length.
/// </summary>
public static class TextSegmenter
{
    /// <summary>Splits <paramref name="text"/>; see <see cref="TextSegment"/> for the guarantees.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The segments in order; none for an empty text, one <see cref="SegmentKind.Blank"/> segment for a blank one.</returns>
    public static IReadOnlyList<TextSegment> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<TextSegment>();
        if (text.Length > 0)
        {
            new SegmentScanner(text, segments).Run();
        }

        return segments;
    }
}
