using System.Diagnostics;

namespace GuardGateway.Bench.Gateway;

/// <summary>
/// Runs streams against one target: a sequential run (one stream at a time) and a concurrent run (closed loop,
/// <c>concurrency</c> clients), each bounded by a stream count and a time limit (no new stream starts after it).
/// </summary>
internal sealed class PhaseRunner(StreamClient client, ProxyMeterProbe? probe, TimeSpan limit, TimeSpan streamTimeout)
{
    public async Task<PhaseResult> RunAsync(string target, string load, int streams, int concurrency, CancellationToken cancellationToken)
    {
        probe?.TakeDelaysMs();
        var checksBefore = probe?.Checks() ?? 0;
        var samples = new List<StreamSample>();
        var next = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (clock.Elapsed < limit && Interlocked.Increment(ref next) <= streams)
            {
                var sample = await RunOneAsync(cancellationToken);
                lock (samples)
                {
                    samples.Add(sample);
                }
            }
        });
        await Task.WhenAll(workers);
        double? checks = probe is null || samples.Count == 0 ? null : (double)(probe.Checks() - checksBefore) / samples.Count;
        return new PhaseResult(target, load, samples, checks, probe?.TakeDelaysMs() ?? []);
    }

    /// <summary>Runs streams until one completes (the gateway answers 503 until its guard is loaded) or the timeout passes.</summary>
    public async Task<bool> WarmUpAsync(int streams, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (done < streams && clock.Elapsed < timeout)
        {
            var sample = await RunOneAsync(cancellationToken);
            if (sample.Complete)
            {
                done++;
            }
            else
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        return done == streams;
    }

    private async Task<StreamSample> RunOneAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(streamTimeout);
        try
        {
            return await client.RunAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new StreamSample(0, 0, 0, false, exception.GetType().Name);
        }
    }
}
