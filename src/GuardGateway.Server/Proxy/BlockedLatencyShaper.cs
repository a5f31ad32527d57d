using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// Makes content-blocked answers take as long as allowed ones (<see cref="BlockedLatencyOptions"/>): remembers the
/// latencies of recent allowed calls in a ring and holds a blocked answer until its age reaches one of them, drawn at
/// random (and the floor), capped by the maximum. The draw uses a cryptographic generator: the point is that a client
/// cannot predict it. A timer wakes late (more so on a loaded machine), which would leave blocked answers a few
/// milliseconds slower than the allowed ones they copy; the hold subtracts a running mean of that lateness.
/// </summary>
internal sealed class BlockedLatencyShaper
{
    private readonly BlockedLatencyOptions options;
    private readonly TimeProvider time;
    private readonly long[] allowedTicks;
    private readonly Lock gate = new();
    private int next;
    private int count;
    private long lateTicks;

    public BlockedLatencyShaper(IOptions<ProxyOptions> options, TimeProvider time)
    {
        this.options = options.Value.BlockedLatency;
        this.time = time;
        allowedTicks = new long[Math.Max(1, this.options.Window)];
    }

    /// <summary>Remembers the latency of an allowed (forwarded and answered) call started at <paramref name="startedTimestamp"/>.</summary>
    public void RecordAllowed(long startedTimestamp)
    {
        if (!options.MatchAllowed)
        {
            return;
        }

        var elapsed = time.GetElapsedTime(startedTimestamp).Ticks;
        lock (gate)
        {
            allowedTicks[next] = elapsed;
            next = (next + 1) % allowedTicks.Length;
            count = Math.Min(count + 1, allowedTicks.Length);
        }
    }

    /// <summary>How old a blocked answer must be before it leaves: max(floor, a recent allowed latency), at most Max.</summary>
    public TimeSpan Target()
    {
        var target = options.Floor;
        if (options.MatchAllowed)
        {
            long drawn = 0;
            lock (gate)
            {
                if (count > 0)
                {
                    drawn = allowedTicks[RandomNumberGenerator.GetInt32(count)];
                }
            }

            target = TimeSpan.FromTicks(Math.Max(target.Ticks, drawn));
        }

        return target < options.Max ? target : options.Max;
    }

    /// <summary>Waits until a blocked call started at <paramref name="startedTimestamp"/> is <see cref="Target"/> old.</summary>
    public async Task HoldBlockedAsync(long startedTimestamp, CancellationToken cancellationToken)
    {
        var target = Target();
        var remaining = target - time.GetElapsedTime(startedTimestamp) - TimeSpan.FromTicks(Volatile.Read(ref lateTicks));
        if (remaining > TimeSpan.Zero)
        {
            var wake = time.GetTimestamp();
            await Task.Delay(remaining, time, cancellationToken);
            RecordLateness(time.GetElapsedTime(wake) - remaining);
        }
    }

    /// <summary>The running mean (weight 1/16) of how late the hold's timer fired; 0 to 100 ms.</summary>
    internal TimeSpan Lateness => TimeSpan.FromTicks(Volatile.Read(ref lateTicks));

    /// <summary>Folds one observed timer lateness into <see cref="Lateness"/>.</summary>
    internal void RecordLateness(TimeSpan late)
    {
        var clamped = Math.Clamp(late.Ticks, 0, TimeSpan.FromMilliseconds(100).Ticks);
        long seen, updated;
        do
        {
            seen = Volatile.Read(ref lateTicks);
            updated = seen + ((clamped - seen) / 16);
        }
        while (Interlocked.CompareExchange(ref lateTicks, updated, seen) != seen);
    }
}
