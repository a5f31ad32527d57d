namespace GuardGateway.Core.Redaction;

/// <summary>The guard's judgement of one segment, as the pipeline reports it to the redactor.</summary>
/// <param name="SegmentIndex">The <see cref="TextSegment.Index"/> judged.</param>
/// <param name="Categories">
/// The categories to redact the segment for: those the guard reported for the segment whose policy action
/// in this direction is <c>redact</c>. Empty means the segment stays.
/// </param>
public sealed record SegmentVerdict(int SegmentIndex, IReadOnlyList<RedactionCategory> Categories)
{
    /// <summary>Whether the segment is to be removed.</summary>
    public bool IsFlagged => Categories.Count > 0;
}
