using System.CommandLine;
using GuardGateway.Bench.Hosting;
using GuardGateway.Bench.Load.Rig;
using GuardGateway.Bench.Load.Stats;
using GuardGateway.Bench.Load.Stub;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>
/// T20: latency of allowed vs. blocked requests, first with the block-latency floor off (the leak it closes), then on
/// (<c>Proxy:BlockedLatency</c> defaults), as the AUC of a latency-only attacker; and a cross-tenant repeat of the same
/// prompt against fresh prompts (Mann-Whitney: a shared verdict cache would make repeats faster).
/// </summary>
internal static class TimingCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var samples = new Option<int>("--samples") { Description = "Samples per class with the floor on and for the cross-tenant test (default 2000)", DefaultValueFactory = _ => 2000 };
        var baseline = new Option<int>("--baseline-samples") { Description = "Samples per class with the floor off (default 300)", DefaultValueFactory = _ => 300 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once (default 2)", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the interleaving (default 20)", DefaultValueFactory = _ => 20 };
        var command = new Command("timing", "T20: timing side channel (blocked vs allowed AUC, cross-tenant repeat)");
        common.AddTo(command);
        command.Options.Add(samples);
        command.Options.Add(baseline);
        command.Options.Add(concurrency);
        command.Options.Add(seed);
        command.SetAction(async (parse, ct) =>
        {
            Report.Machine("timing (T20)");
            var front = parse.GetValue(common.Front);
            var k = parse.GetValue(concurrency);
            var random = new Random(parse.GetValue(seed));
            Report.Line($"setup: stub {parse.GetValue(common.BurnMs):F0} ms CPU per call, upstream {parse.GetValue(common.UpstreamMs):F0} ms, front {front}, {k} in flight, allowed and blocked interleaved at random");

            var off = new Dictionary<string, string?> { ["Proxy:BlockedLatency:MatchAllowed"] = "false" };
            await using (var rig = await LoadRig.StartAsync(common.Rig(parse, off), ct))
            {
                var (allowed, blocked) = await AllowedVsBlockedAsync(rig, front, parse.GetValue(baseline), k, random, "off", ct);
                Summarize("floor off (Proxy:BlockedLatency:MatchAllowed=false)", allowed, blocked);
            }

            await using (var rig = await LoadRig.StartAsync(common.Rig(parse, new Dictionary<string, string?>()), ct))
            {
                var n = parse.GetValue(samples);
                var (allowed, blocked) = await AllowedVsBlockedAsync(rig, front, n, k, random, "on", ct);
                var auc = Summarize("floor on (Proxy:BlockedLatency defaults: MatchAllowed, Max 2 s)", allowed, blocked);
                Report.Criterion("latency-only attacker AUC <= 0.6", auc <= 0.6, $"{auc:F3} over {allowed.Count} allowed / {blocked.Count} blocked");

                var (repeat, fresh) = await CrossTenantAsync(rig, front, n, k, random, ct);
                var test = RankStatistics.MannWhitney(repeat, fresh);
                Report.Line($"cross-tenant: tenant A sends prompt i, then tenant B sends the same prompt i (repeat) and a fresh prompt (random order): repeat p50 {Percentile.Of(repeat, 50):F1} ms p99 {Percentile.Of(repeat, 99):F1} ms, fresh p50 {Percentile.Of(fresh, 50):F1} ms p99 {Percentile.Of(fresh, 99):F1} ms, ratio of medians {Percentile.Of(repeat, 50) / Percentile.Of(fresh, 50):F3}");
                Report.Criterion("no cross-tenant speed-up (Mann-Whitney one-sided p > 0.01)", test.PLess > 0.01, $"U {test.U:F0}, z {test.Z:F2}, p(repeat faster) {test.PLess:F3}, two-sided p {test.PTwoSided:F3}, n {repeat.Count}/{fresh.Count}");
                Report.Line($"unmoderated forwards {rig.Ledger.Unmoderated}; gateway error logs {rig.ErrorLogs.Count}; at the end{BenchMachine.LoadAverage()}");
            }

            return Report.Failures == 0 ? 0 : 1;
        });
        return command;
    }

    private static double Summarize(string label, List<double> allowed, List<double> blocked)
    {
        var auc = RankStatistics.AttackerAuc(allowed, blocked);
        Report.Line($"{label}: allowed p50 {Percentile.Of(allowed, 50):F1} ms p99 {Percentile.Of(allowed, 99):F1} ms; blocked p50 {Percentile.Of(blocked, 50):F1} ms p99 {Percentile.Of(blocked, 99):F1} ms; attacker AUC {auc:F3}");
        return auc;
    }

    private static async Task<(List<double> Allowed, List<double> Blocked)> AllowedVsBlockedAsync(LoadRig rig, Front front, int perClass, int concurrency, Random random, string tag, CancellationToken ct)
    {
        var order = Enumerable.Range(0, 2 * perClass).Select(i => i % 2 == 0).OrderBy(_ => random.Next()).ToArray();
        var allowed = new List<double>();
        var blocked = new List<double>();
        await RunAsync(order.Length, concurrency, async i =>
        {
            var isBlocked = order[i];
            var text = isBlocked ? $"Tell me about {StubClassifier.Canary} please rid-t{tag}-{i}" : $"Can you explain how photosynthesis works? rid-t{tag}-{i}";
            var result = await rig.Client.SendAsync(front, i, text, InProcessGateway.ClientKey, ct);
            var expected = isBlocked ? CallKind.Blocked : CallKind.Allowed;
            if (result.Kind != expected)
            {
                throw new InvalidOperationException($"timing sample {i}: expected {expected}, got {result.Kind} ({result.Detail})");
            }

            lock (allowed)
            {
                (isBlocked ? blocked : allowed).Add(result.Ms);
            }
        });
        return (allowed, blocked);
    }

    private static async Task<(List<double> Repeat, List<double> Fresh)> CrossTenantAsync(LoadRig rig, Front front, int n, int concurrency, Random random, CancellationToken ct)
    {
        var repeatFirst = Enumerable.Range(0, n).Select(_ => random.Next(2) == 0).ToArray();
        var repeat = new List<double>();
        var fresh = new List<double>();
        await RunAsync(n, concurrency, async i =>
        {
            var prompt = $"What is the boiling point of water at altitude {i} metres? rid-xa-{i}";
            var other = $"What is the boiling point of water at altitude {i} feet? rid-xb-{i}";
            await rig.Client.SendAsync(front, i, prompt, InProcessGateway.ClientKey, ct);
            CallResult r, f;
            if (repeatFirst[i])
            {
                r = await rig.Client.SendAsync(front, i, prompt, InProcessGateway.OtherClientKey, ct);
                f = await rig.Client.SendAsync(front, i, other, InProcessGateway.OtherClientKey, ct);
            }
            else
            {
                f = await rig.Client.SendAsync(front, i, other, InProcessGateway.OtherClientKey, ct);
                r = await rig.Client.SendAsync(front, i, prompt, InProcessGateway.OtherClientKey, ct);
            }

            if (r.Kind != CallKind.Allowed || f.Kind != CallKind.Allowed)
            {
                throw new InvalidOperationException($"cross-tenant sample {i}: {r.Kind}/{f.Kind}");
            }

            lock (repeat)
            {
                repeat.Add(r.Ms);
                fresh.Add(f.Ms);
            }
        });
        return (repeat, fresh);
    }

    /// <summary>Runs work items 0..count-1 in order with <paramref name="concurrency"/> workers.</summary>
    private static async Task RunAsync(int count, int concurrency, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
            }
        }));
    }
}
