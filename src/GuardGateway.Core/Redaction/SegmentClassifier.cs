using GuardGateway.Core.Results;

namespace GuardGateway.Core.Redaction;

/// <summary>
/// Judges segments in context; supplied by the moderation pipeline, which runs the guard. The redactor
/// passes every non-blank segment of the text in one call so the pipeline can batch them (e.g. one guard
/// request per segment with the conversation and the response up to and including
/// <see cref="TextSegment.ContentEnd"/> as context, run as a batch).
/// </summary>
/// <param name="segments">The non-blank segments, in text order.</param>
/// <param name="cancellationToken">Cancels the classification.</param>
/// <returns>
/// One verdict per flagged segment (verdicts for unflagged segments may be included or left out), or the
/// guard's error: the redactor returns that error unchanged, and the pipeline applies the policy's
/// <c>on_error</c>. A verdict naming an index that was not passed is a bug and throws.
/// </returns>
public delegate ValueTask<Result<IReadOnlyList<SegmentVerdict>>> SegmentClassifier(IReadOnlyList<TextSegment> segments, CancellationToken cancellationToken);
