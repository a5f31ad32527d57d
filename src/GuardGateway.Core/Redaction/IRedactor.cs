using GuardGateway.Core.Results;

namespace GuardGateway.Core.Redaction;

/// <summary>
/// Localizes and removes unsafe content (policy action <c>redact</c>). The pipeline's flow for a text the
/// guard judged unsafe for categories whose action is <c>redact</c>:
/// <list type="number">
/// <item><see cref="RedactAsync"/> splits the text into segments (<see cref="Segment"/>);</item>
/// <item>it calls the pipeline's <see cref="SegmentClassifier"/> once with every non-blank segment, which
/// classifies each in context (batched) and returns the flagged ones;</item>
/// <item>it replaces flagged segments (runs of adjacent flagged segments become one replacement) and, when
/// <see cref="RedactionRequest.PersonalDataCategory"/> is set, personal-data pattern matches;</item>
/// <item>when a category of <see cref="RedactionRequest.UnsafeCategories"/> is found in no segment, it
/// returns <see cref="RedactionOutcome.NotLocalized"/> and the caller blocks instead.</item>
/// </list>
/// The pipeline should re-check the redacted text with the guard before releasing it when the policy asks
/// for it; the redactor does not call the guard itself. Implementations are thread-safe.
/// </summary>
public interface IRedactor
{
    /// <summary>Splits a text into segments that cover it exactly (see <see cref="TextSegment"/>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The segments in order; one <see cref="SegmentKind.Blank"/> segment for blank text, none for empty text.</returns>
    IReadOnlyList<TextSegment> Segment(string text);

    /// <summary>Redacts a text.</summary>
    /// <param name="request">The text, template and categories.</param>
    /// <param name="classifySegments">Judges segments in context; called at most once, and only when <see cref="RedactionRequest.UnsafeCategories"/> is not empty.</param>
    /// <param name="cancellationToken">Cancels the redaction.</param>
    /// <returns>The result, or the classifier's error unchanged (no verdict: the caller applies <c>on_error</c>).</returns>
    ValueTask<Result<RedactionResult>> RedactAsync(RedactionRequest request, SegmentClassifier classifySegments, CancellationToken cancellationToken);
}
