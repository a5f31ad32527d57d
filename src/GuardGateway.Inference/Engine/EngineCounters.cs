namespace GuardGateway.Inference.Engine;

/// <summary>Thread-safe counters behind <see cref="GuardEngineStatistics"/>.</summary>
internal sealed class EngineCounters
{
    private long _batches;
    private long _batchedRequests;
    private long _largestBatch;
    private long _prefillTokens;
    private long _prefixHits;
    private long _prefixMisses;
    private long _queueRejections;

    public void Batch(int size, int prefillTokens)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedRequests, size);
        Interlocked.Add(ref _prefillTokens, prefillTokens);
        long seen;
        while (size > (seen = Interlocked.Read(ref _largestBatch)) && Interlocked.CompareExchange(ref _largestBatch, size, seen) != seen)
        {
        }
    }

    public void Prefix(bool hit) => Interlocked.Increment(ref hit ? ref _prefixHits : ref _prefixMisses);

    public void QueueRejected() => Interlocked.Increment(ref _queueRejections);

    public GuardEngineStatistics Snapshot() => new(
        Interlocked.Read(ref _batches),
        Interlocked.Read(ref _batchedRequests),
        (int)Interlocked.Read(ref _largestBatch),
        Interlocked.Read(ref _prefillTokens),
        Interlocked.Read(ref _prefixHits),
        Interlocked.Read(ref _prefixMisses),
        Interlocked.Read(ref _queueRejections));
}
