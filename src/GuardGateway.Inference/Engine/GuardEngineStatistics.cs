namespace GuardGateway.Inference.Engine;

/// <summary>Counters of an <see cref="OnnxGuardClassifier"/> since it started (for metrics and benchmarks).</summary>
/// <param name="Batches">Batched forward passes (prefill + decode) run.</param>
/// <param name="BatchedRequests">Requests that went through those batches.</param>
/// <param name="LargestBatch">The largest batch so far.</param>
/// <param name="PrefillTokens">Prompt tokens run through the model (excluding cached prefixes).</param>
/// <param name="PrefixCacheHits">Requests whose prompt prefix came from the cache.</param>
/// <param name="PrefixCacheMisses">Requests whose prompt prefix had to be computed (then cached).</param>
/// <param name="QueueRejections">Requests rejected because the queue was full.</param>
public sealed record GuardEngineStatistics(
    long Batches,
    long BatchedRequests,
    int LargestBatch,
    long PrefillTokens,
    long PrefixCacheHits,
    long PrefixCacheMisses,
    long QueueRejections);
