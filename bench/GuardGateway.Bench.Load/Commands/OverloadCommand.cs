using System.CommandLine;
using GuardGateway.Bench.Load.Rig;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>
/// T9b: open-loop load at 2 x C with the gateway's limiters set for shedding: the front (<c>Limits:MaxConcurrentRequests</c>
/// = the concurrency at C) and the classifier (<c>Guard:Classifier:MaxConcurrentCalls</c> = the same,
/// <c>QueueLimit</c> small). Checks the plan's criteria.
/// </summary>
internal static class OverloadCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var seconds = new Option<double>("--seconds") { Description = "Length of the overload (s; the plan says 60, default 30)", DefaultValueFactory = _ => 30 };
        var factor = new Option<double>("--factor") { Description = "Offered load as a multiple of C (default 2)", DefaultValueFactory = _ => 2 };
        var inFlight = new Option<int?>("--max-in-flight") { Description = "Limits:MaxConcurrentRequests (default: the concurrency at C)" };
        var queue = new Option<int>("--classifier-queue") { Description = "Guard:Classifier:QueueLimit (default 2)", DefaultValueFactory = _ => 2 };
        return new CapacityInput().CreateCommand("overload", "T9b: open loop at 2xC with load shedding", common, [seconds, factor, inFlight, queue], async (parse, c, ct) =>
        {
            var limit = parse.GetValue(inFlight) ?? c.Concurrency;
            var gateway = new Dictionary<string, string?>
            {
                ["Limits:MaxConcurrentRequests"] = limit.ToString(Report.Culture),
                ["Guard:Classifier:MaxConcurrentCalls"] = limit.ToString(Report.Culture),
                ["Guard:Classifier:QueueLimit"] = parse.GetValue(queue).ToString(Report.Culture),
            };
            await RunAsync(common.Rig(parse, gateway), parse.GetValue(common.Front), c, parse.GetValue(factor), TimeSpan.FromSeconds(parse.GetValue(seconds)), gateway, ct);
        });
    }

    private static async Task<List<CallResult>> ProbeAsync(GatewayClient client, Front front, TimeSpan duration, CancellationToken cancellationToken)
    {
        var probes = new List<CallResult>();
        var limit = (int)(duration.TotalSeconds * 5);
        try
        {
            for (var i = 0; i < limit; i++)
            {
                await Task.Delay(200, cancellationToken);
                probes.Add(await client.SendAsync(front, i, "probe", "wrong-key-0123456789abcdef", cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the overload ended
        }

        return probes;
    }

    private static async Task RunAsync(RigOptions options, Front front, CapacityResult c, double factor, TimeSpan duration, Dictionary<string, string?> gateway, CancellationToken cancellationToken)
    {
        Report.Machine("overload (T9b)");
        var rate = factor * c.C;
        Report.Line($"setup: open loop {rate:F1} requests/s ({factor:F1} x C = {c.C:F1}) for {duration.TotalSeconds:F0} s, front {front}; {string.Join(", ", gateway.Select(kv => kv.Key + "=" + kv.Value))}; 1 in 10 requests carries the canary (blocked on input)");
        await using var rig = await LoadRig.StartAsync(options, cancellationToken);
        var before = ProcessSample.Take(TimeSpan.Zero);
        var peak = before;
        // The machine's own floor for an answer that does no work: requests with a wrong key (401 / UNAUTHENTICATED
        // before any limiter), 5 per second during the overload. Shed latency is compared with it.
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probe = ProbeAsync(rig.Client, front, duration, stopProbe.Token);
        var result = await OpenLoop.RunAsync(rig.Client, new Workload("ovl", front, blockedShare: 0.1), rate, duration, maxOutstanding: 4096, 1_000, cancellationToken, at =>
        {
            var sample = ProcessSample.Take(at);
            if (sample.RssMb > peak.RssMb)
            {
                peak = sample;
            }
        });
        await stopProbe.CancelAsync();
        var probes = await probe;
        var after = ProcessSample.Take(result.Elapsed);
        var admitted = result.Admitted.ToList();
        var shed = result.Of(CallKind.Shed).ToList();
        var admittedP99 = LoadResult.P(admitted, 99);
        var shedP99 = LoadResult.P(shed, 99);
        // Goodput counts answers the guard judged (allowed + blocked): both are served requests; C was measured with allowed only.
        var goodput = result.Throughput;
        var growth = Math.Max(peak.RssMb, after.RssMb) - before.RssMb;
        Report.Line($"sent {result.Calls.Count} (not sent: {result.NotSent}) in {result.Elapsed.TotalSeconds:F1} s: {result.Breakdown()}");
        Report.Line($"admitted p50 {LoadResult.P(admitted, 50):F0} ms p99 {admittedP99:F0} ms; shed p50 {LoadResult.P(shed, 50):F1} ms p99 {shedP99:F1} ms; goodput {goodput:F1}/s ({result.Goodput:F1}/s allowed); RSS {before.RssMb:F0} -> peak {peak.RssMb:F0} MB; load average after {after.LoadAverage:F2}");
        Report.Criterion("admitted p99 <= 2 x the 1xC p99", double.IsNaN(c.P99) ? false : admittedP99 <= 2 * c.P99,
            $"{admittedP99:F0} ms vs 2 x {c.P99:F0} ms = {2 * c.P99:F0} ms (ratio {admittedP99 / c.P99:F2})");
        Report.Criterion("shed answered 429 / RESOURCE_EXHAUSTED", shed.Count > 0 && result.Count(CallKind.NoVerdict) + result.Count(CallKind.Error) == 0,
            $"{shed.Count} shed, {result.Count(CallKind.NoVerdict)} no-verdict, {result.Count(CallKind.Error)} other errors");
        var probeP99 = LoadResult.P(probes, 99);
        Report.Line($"no-work probe (wrong key -> 401 / UNAUTHENTICATED, {probes.Count} during the run): p50 {LoadResult.P(probes, 50):F1} ms p99 {probeP99:F1} ms; shed p99 / probe p99 = {shedP99 / probeP99:F2}");
        Report.Criterion("shed p99 < 10 ms", shedP99 < 10, $"{shedP99:F1} ms (the no-work probe's p99 on this machine: {probeP99:F1} ms)");
        Report.Criterion("goodput >= 90% of C", goodput >= 0.9 * c.C, $"{goodput:F1}/s = {goodput / c.C:P0} of C");
        Report.Criterion("RSS growth < 100 MB", growth < 100, $"{growth:F0} MB");
        Report.Criterion("0 unmoderated forwards", rig.Ledger.Unmoderated == 0, $"{rig.Ledger.Unmoderated} of {rig.Ledger.Forwarded} forwarded; gateway error logs {rig.ErrorLogs.Count}");
    }
}
