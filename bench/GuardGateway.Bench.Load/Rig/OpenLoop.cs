using System.Diagnostics;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>
/// Open-loop load: requests start on a fixed schedule (request i at start + i / rate) whether or not earlier ones
/// were answered, so a slow gateway cannot slow the offered load (no coordinated omission). Bounded: at most
/// <c>rate x duration</c> requests, and at most <c>maxOutstanding</c> in flight (a request due while that many are
/// outstanding is not sent and counted as such). <c>onTick</c> runs about once a second on the schedule's thread.
/// </summary>
internal static class OpenLoop
{
    public static async Task<LoadResult> RunAsync(
        GatewayClient client,
        Workload workload,
        double rate,
        TimeSpan duration,
        int maxOutstanding,
        long firstNumber,
        CancellationToken cancellationToken,
        Action<TimeSpan>? onTick = null)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var results = new List<CallResult>((int)Math.Min(total, 1_000_000));
        var inFlight = new List<Task>();
        var outstanding = 0;
        var notSent = 0;
        var lastTick = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (onTick is not null && clock.Elapsed - lastTick >= TimeSpan.FromSeconds(1))
            {
                lastTick = clock.Elapsed;
                onTick(lastTick);
            }

            if (Volatile.Read(ref outstanding) >= maxOutstanding)
            {
                notSent++;
                continue;
            }

            Interlocked.Increment(ref outstanding);
            var number = firstNumber + i;
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    var result = await workload.SendAsync(client, number, cancellationToken);
                    lock (results)
                    {
                        results.Add(result);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref outstanding);
                }
            }, cancellationToken));
            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        var scheduleEnded = clock.Elapsed;
        await Task.WhenAll(inFlight);
        return new LoadResult(results, scheduleEnded, notSent);
    }
}
