using System.Diagnostics;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>
/// Closed-loop load: <c>concurrency</c> clients, each sending its next request when the previous one is answered,
/// until the duration passes or the request budget is spent (no new request after either).
/// </summary>
internal static class ClosedLoop
{
    public static async Task<LoadResult> RunAsync(GatewayClient client, Workload workload, int concurrency, TimeSpan duration, long maxRequests, long firstNumber, CancellationToken cancellationToken)
    {
        var results = new List<CallResult>();
        var next = firstNumber - 1;
        var last = firstNumber + maxRequests - 1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                var number = Interlocked.Increment(ref next);
                if (number > last)
                {
                    return;
                }

                var result = await workload.SendAsync(client, number, cancellationToken);
                lock (results)
                {
                    results.Add(result);
                }
            }
        });
        await Task.WhenAll(workers);
        return new LoadResult(results, clock.Elapsed, 0);
    }
}
