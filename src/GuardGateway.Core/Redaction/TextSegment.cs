namespace GuardGateway.Core.Redaction;

/// <summary>
/// One segment of a text, with exact UTF-16 offsets. The segments of a text cover it exactly and in order
/// (segment <c>i + 1</c> starts where segment <c>i</c> ends), and every boundary is a text-element
/// (grapheme cluster) boundary, so no segment splits a surrogate pair, a combining sequence or an emoji
/// ZWJ sequence. Whitespace between two segments belongs to the earlier one; leading whitespace of the text
/// belongs to the first. The content range excludes that whitespace: it is what a guard should judge and
/// what redaction replaces, so the layout around a removed sentence survives.
/// </summary>
/// <param name="Index">Position in the segment list, from 0; <see cref="SegmentVerdict.SegmentIndex"/> refers to it.</param>
/// <param name="Start">UTF-16 offset of the first character, whitespace included.</param>
/// <param name="Length">UTF-16 length, whitespace included.</param>
/// <param name="ContentStart">UTF-16 offset of the first non-whitespace character (equals <paramref name="Start"/> for a blank segment).</param>
/// <param name="ContentLength">UTF-16 length of the content without surrounding whitespace (0 for a blank segment).</param>
/// <param name="Kind">What the segment is.</param>
/// <param name="Content">The content text, <c>text.Substring(ContentStart, ContentLength)</c>.</param>
/// <param name="IsComplete">
/// Whether text appended later could not change this segment: true for every segment but the last, and for
/// the last one when a line break follows its content (and it is not an unclosed code fence). For streaming:
/// the complete segments of a partial response keep their start, content and kind however the text goes on
/// (the last one's trailing whitespace may still grow); an incomplete last segment may grow or merge.
/// </param>
public sealed record TextSegment(int Index, int Start, int Length, int ContentStart, int ContentLength, SegmentKind Kind, string Content, bool IsComplete)
{
    /// <summary>UTF-16 offset one past the last character, whitespace included.</summary>
    public int End => Start + Length;

    /// <summary>UTF-16 offset one past the last content character.</summary>
    public int ContentEnd => ContentStart + ContentLength;

    /// <summary>Whether the segment holds only whitespace (never sent to a classifier).</summary>
    public bool IsBlank => ContentLength == 0;
}
