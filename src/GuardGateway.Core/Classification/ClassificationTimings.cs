namespace GuardGateway.Core.Classification;

/// <summary>Where a classification spent its time.</summary>
/// <param name="Queued">Waiting in the inference queue and for a batch.</param>
/// <param name="Prefill">The prompt forward pass (after any cached prefix).</param>
/// <param name="Decode">Generating the answer token by token.</param>
/// <param name="Total">From submission to result.</param>
public sealed record ClassificationTimings(TimeSpan Queued, TimeSpan Prefill, TimeSpan Decode, TimeSpan Total);
