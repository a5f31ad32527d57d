using System.Diagnostics;
using System.Globalization;
using GuardGateway.Backends.Fakes;

namespace GuardGateway.Bench.Abuse;

/// <summary>
/// RELIABILITY.md T14: the gateway process under HTTP/2 abuse on its gRPC port while a legitimate client calls
/// Moderate at a fixed rate. Per attack: the legitimate p99 against the baseline's, the CPU recovery after the attack
/// (/proc/pid/stat), and over all attacks the RSS growth (/proc/pid/status).
/// </summary>
internal sealed class H2AbuseBench(string root, BenchArguments arguments)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var legitRate = arguments.Int("legit-rate", 5);
        var baselineSeconds = arguments.Double("baseline", 10);
        var attack = TimeSpan.FromSeconds(arguments.Double("attack", 5));
        var recovery = arguments.Double("recovery", 10);
        var slowSeconds = arguments.Double("slow-seconds", 35);

        await using var upstream = await FakeOpenAiServer.StartAsync();
        var logPath = Path.Combine(Path.GetTempPath(), "guardgateway-h2abuse.log");
        // --server-gc 1 runs the gateway with DOTNET_gcServer=1 (its default is workstation GC): side-by-side RSS figures.
        var extra = new Dictionary<string, string>();
        if (arguments.Int("server-gc", 0) == 1)
        {
            extra["DOTNET_gcServer"] = "1";
        }

        using var gateway = GatewayProcess.Start(root, upstream.Url, extra, logPath);
        Console.WriteLine(string.Create(Culture, $"gateway: pid {gateway.Pid}, {gateway.GrpcUrl} (product Kestrel settings{(extra.Count > 0 ? ", DOTNET_gcServer=1" : "")}), log {logPath}"));
        if (!await gateway.WaitReadyAsync(TimeSpan.FromSeconds(180), ct))
        {
            Console.Error.WriteLine("h2: the gateway never served a verdict");
            return 3;
        }

        var clock = Stopwatch.StartNew();
        using var stopLegit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var stopSampler = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = new ResourceSampler(gateway.Pid, clock);
        var sampling = sampler.RunAsync(stopSampler.Token);
        var legit = new LegitClient(gateway.GrpcUrl, clock, legitRate);
        var legitRun = legit.RunAsync(stopLegit.Token);
        Console.WriteLine(string.Create(Culture, $"legitimate client: Moderation.Moderate at {legitRate}/s open loop; warm-up 5 s, baseline {baselineSeconds} s; each attack {attack.TotalSeconds} s (slow headers {slowSeconds} s), then up to {recovery} s of recovery; {Environment.ProcessorCount} cores, load average {ProcessProbe.LoadAverage()}"));

        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var baselineStart = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(baselineSeconds), ct);
        var baselineEnd = clock.Elapsed.TotalSeconds;
        var baselineCalls = legit.Between(baselineStart, baselineEnd);
        var baselineP99 = LegitClient.LatencyPercentile(baselineCalls, 99);
        var baselineCpu = sampler.CpuPercent(baselineStart, baselineEnd);
        var baselineRss = sampler.PeakRssMb(baselineStart, baselineEnd);
        // "Back to baseline": a 1 s window within 1.5x the baseline CPU plus 10 points of one core (the box is shared).
        var cpuThreshold = (baselineCpu * 1.5) + 10;
        Console.WriteLine(string.Create(Culture, $"baseline: legit p50 {LegitClient.LatencyPercentile(baselineCalls, 50):F1} ms, p99 {baselineP99:F1} ms ({baselineCalls.Count} calls); gateway CPU {baselineCpu:F0}% of a core; RSS {baselineRss:F0} MB"));

        var attacks = new H2Attacks(gateway.GrpcPort, attack);
        var scenarios = new (string Name, Func<Task<(string Outcome, bool? Refused)>> Run)[]
        {
            ("ping flood", () => attacks.PingFloodAsync(ct)),
            ("150 streams x 10 connections", () => attacks.StreamFloodAsync(10, 150, ct)),
            ("rapid reset (HEADERS + RST_STREAM)", () => attacks.RapidResetAsync(ct)),
            ("CONTINUATION flood", () => attacks.ContinuationFloodAsync(ct)),
            ("slow headers (200 connections)", () => attacks.SlowHeadersAsync(200, TimeSpan.FromSeconds(slowSeconds), ct)),
        };

        // --only TEXT: run only the attacks whose name starts with TEXT (e.g. "ping").
        var only = arguments.Text("only", "");
        scenarios = [.. scenarios.Where(s => s.Name.StartsWith(only, StringComparison.Ordinal))];

        // --control 1: the same timeline with every attack replaced by an idle wait of its length, for the RSS and
        // latency drift the legitimate load alone causes (ONNX Runtime arena, GC) on this machine.
        if (arguments.Int("control", 0) == 1)
        {
            scenarios = [.. scenarios.Select(s => (s.Name + " (control: no attack)", (Func<Task<(string Outcome, bool? Refused)>>)(async () =>
            {
                await Task.Delay(s.Name.StartsWith("slow", StringComparison.Ordinal) ? TimeSpan.FromSeconds(slowSeconds) : attack, ct);
                return ("idle", (bool?)null);
            })))];
        }

        var rows = new List<string>();
        var allPass = true;
        var attacksStart = clock.Elapsed.TotalSeconds;
        foreach (var (name, run) in scenarios)
        {
            var start = clock.Elapsed.TotalSeconds;
            var (outcome, refused) = await run();
            var end = clock.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(recovery), ct);
            var calls = legit.Between(start, end);
            var p99 = LegitClient.LatencyPercentile(calls, 99);
            var failed = calls.Count(c => c.Status != Grpc.Core.StatusCode.OK);
            var cpu = sampler.CpuPercent(start, end);
            var back = sampler.RecoveryAfter(end, cpuThreshold, recovery);
            // --legit-rate 0: no legitimate load (the RSS and CPU of the attack alone, without the classifier's churn).
            var latencyOk = legitRate == 0 || (p99 <= 2 * baselineP99 && failed == 0);
            var cpuOk = back is <= 5;
            var rssDelta = sampler.PeakRssMb(start, end + recovery) - baselineRss;
            allPass &= latencyOk && cpuOk && refused is not false;
            rows.Add(string.Create(Culture, $"| {name} | {outcome} | {p99:F1} ms ({p99 / baselineP99:F2}x), {calls.Count} calls, {failed} failed | {cpu:F0}% | {(back is { } b ? b.ToString("F2", Culture) + " s" : "not within " + recovery + " s")} | {rssDelta:+0;-0} MB | {Pass(latencyOk)} / {Pass(cpuOk)}{(refused is { } r ? " / refused " + Pass(r) : "")} |"));
            Console.Error.WriteLine($"  done: {name}");
        }

        var attacksEnd = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(baselineSeconds), ct);
        var afterCalls = legit.Between(attacksEnd, clock.Elapsed.TotalSeconds);
        var afterP99 = LegitClient.LatencyPercentile(afterCalls, 99);
        var peakRss = sampler.PeakRssMb(attacksStart, attacksEnd);
        var endRss = sampler.RssMbAt(attacksEnd);
        await stopLegit.CancelAsync();
        await legitRun;
        await stopSampler.CancelAsync();
        await sampling;

        Console.WriteLine();
        Console.WriteLine("| attack | outcome | legit p99 during (vs baseline) | gateway CPU during (of a core) | CPU back to baseline after | peak RSS vs baseline | p99 <= 2x / CPU <= 5 s |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(string.Create(Culture, $"legit baseline p99 before the attacks {baselineP99:F1} ms, after them {afterP99:F1} ms ({afterCalls.Count} calls); the ratios above use the one before"));
        var rssOk = peakRss - baselineRss < 50;
        allPass &= rssOk;
        Console.WriteLine();
        Console.WriteLine(string.Create(Culture, $"RSS: baseline {baselineRss:F0} MB, peak during attacks {peakRss:F0} MB (+{peakRss - baselineRss:F0} MB), after {endRss:F0} MB; criterion growth < 50 MB: {Pass(rssOk)}"));
        Console.WriteLine(string.Create(Culture, $"CPU threshold for 'back to baseline': {cpuThreshold:F0}% of a core (1.5 x baseline {baselineCpu:F0}% + 10); load average after {ProcessProbe.LoadAverage()}"));
        Console.WriteLine(string.Create(Culture, $"gateway still running after the attacks: {!gateway.HasExited}"));
        return allPass && !gateway.HasExited ? 0 : 1;
    }

    private static string Pass(bool ok) => ok ? "yes" : "**no**";
}
