namespace GuardGateway.Backends.Resilience;

/// <summary>
/// A Linkerd-style retry budget (RELIABILITY.md T11): a retry is allowed while the retries made in the sliding window
/// stay within <c>ratio × calls in the window + minPerSecond × window seconds</c>. Retries then add at most ~20 % load
/// (by default) when a backend is failing, instead of multiplying it by the attempt count. Counts are kept in one-second
/// buckets over the window; thread-safe (a lock: two counter updates per call, far cheaper than the call).
/// </summary>
internal sealed class RetryBudget
{
    private readonly double ratio;
    private readonly double floor;
    private readonly TimeProvider time;
    private readonly long bucketTicks;
    private readonly long[] calls;
    private readonly long[] retries;
    private readonly long[] stamps;
    private readonly Lock gate = new();

    public RetryBudget(double ratio, double minRetriesPerSecond, TimeSpan window, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.ratio = ratio;
        this.time = time;
        var buckets = Math.Max(1, (int)Math.Ceiling(window.TotalSeconds));
        floor = minRetriesPerSecond * buckets;
        bucketTicks = TimeSpan.TicksPerSecond;
        calls = new long[buckets];
        retries = new long[buckets];
        stamps = new long[buckets];
    }

    /// <summary>Counts one call (its first attempt).</summary>
    public void RecordCall()
    {
        lock (gate)
        {
            calls[Current()]++;
        }
    }

    /// <summary>Takes one retry from the budget; false (and nothing taken) when it is spent.</summary>
    public bool TryRetry()
    {
        lock (gate)
        {
            var index = Current();
            long callSum = 0, retrySum = 0;
            var now = Now();
            for (var i = 0; i < calls.Length; i++)
            {
                if (now - stamps[i] < calls.Length)
                {
                    callSum += calls[i];
                    retrySum += retries[i];
                }
            }

            if (retrySum + 1 > (ratio * callSum) + floor)
            {
                return false;
            }

            retries[index]++;
            return true;
        }
    }

    private long Now() => time.GetUtcNow().UtcTicks / bucketTicks;

    /// <summary>The bucket of this second, cleared when it last belonged to an older second.</summary>
    private int Current()
    {
        var now = Now();
        var index = (int)(now % calls.Length);
        if (stamps[index] != now)
        {
            stamps[index] = now;
            calls[index] = 0;
            retries[index] = 0;
        }

        return index;
    }
}
