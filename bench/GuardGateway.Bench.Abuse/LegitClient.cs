using System.Collections.Concurrent;
using System.Diagnostics;
using GuardGateway.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace GuardGateway.Bench.Abuse;

/// <summary>
/// A legitimate gRPC client beside the attack: Moderation.Moderate at a fixed rate (open loop, own connection), every
/// call recorded on the shared clock so each phase's latency can be cut out afterwards.
/// </summary>
internal sealed class LegitClient(string url, Stopwatch clock, int rate)
{
    private readonly ConcurrentBag<CallRecord> records = [];

    public async Task RunAsync(CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(url);
        var client = new Moderation.ModerationClient(channel);
        var calls = new List<Task>();
        var start = clock.Elapsed;
        // Bounded by the token (the bench's phases) and by a hard count: at most 30 minutes at the rate.
        for (var i = 0; i < rate * 1800 && !ct.IsCancellationRequested; i++)
        {
            var due = start + TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            calls.Add(CallAsync(client));
        }

        await Task.WhenAll(calls);
    }

    /// <summary>Calls started in [from, to).</summary>
    public IReadOnlyList<CallRecord> Between(double from, double to) => [.. records.Where(r => r.Start >= from && r.Start < to)];

    /// <summary>Nearest-rank percentile of the OK calls' latency in ms (NaN when none).</summary>
    public static double LatencyPercentile(IReadOnlyList<CallRecord> calls, double percentile)
    {
        var latencies = calls.Where(c => c.Status == StatusCode.OK).Select(c => c.LatencyMs).Order().ToArray();
        return latencies.Length == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(percentile / 100 * latencies.Length) - 1, 0, latencies.Length - 1)];
    }

    private async Task CallAsync(Moderation.ModerationClient client)
    {
        var start = clock.Elapsed.TotalSeconds;
        try
        {
            await client.ModerateAsync(Calls.Benign(), Calls.Options(TimeSpan.FromSeconds(10)));
            records.Add(new CallRecord(start, clock.Elapsed.TotalSeconds, StatusCode.OK, ""));
        }
        catch (RpcException e)
        {
            records.Add(new CallRecord(start, clock.Elapsed.TotalSeconds, e.StatusCode, e.Status.Detail));
        }
    }
}
