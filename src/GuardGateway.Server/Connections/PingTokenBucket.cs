namespace GuardGateway.Server.Connections;

/// <summary>
/// A token bucket for one connection: starts full at <c>burst</c> tokens and refills at <c>perSecond</c>, capped at
/// <c>burst</c>. Not thread-safe: one connection's inbound bytes are read by one reader at a time.
/// </summary>
internal sealed class PingTokenBucket
{
    private readonly TimeProvider time;
    private readonly double perSecond;
    private readonly double burst;
    private double tokens;
    private long refilledAt;

    public PingTokenBucket(TimeProvider time, double perSecond, int burst)
    {
        this.time = time;
        this.perSecond = perSecond;
        this.burst = burst;
        tokens = burst;
        refilledAt = time.GetTimestamp();
    }

    /// <summary>Takes <paramref name="count"/> tokens; false when the bucket ran dry (the tokens are still spent).</summary>
    public bool TryTake(int count)
    {
        var now = time.GetTimestamp();
        tokens = Math.Min(burst, tokens + (time.GetElapsedTime(refilledAt, now).TotalSeconds * perSecond));
        refilledAt = now;
        tokens -= count;
        return tokens >= 0;
    }
}
