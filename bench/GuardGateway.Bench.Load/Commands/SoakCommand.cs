using System.CommandLine;
using GuardGateway.Bench.Hosting;
using GuardGateway.Bench.Load.Rig;
using GuardGateway.Bench.Load.Stats;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>
/// T21: open loop at 0.5 x C with chaos faults on the classifier; samples RSS, open file descriptors and threads every
/// interval; reports the RSS slope, handle/thread stability, unhandled exceptions and the error rate against the
/// injected faults.
/// </summary>
internal static class SoakCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var minutes = new Option<double>("--minutes") { Description = "Length of the soak (min; the plan says 30, default 5)", DefaultValueFactory = _ => 5 };
        var factor = new Option<double>("--factor") { Description = "Offered load as a multiple of C (default 0.5)", DefaultValueFactory = _ => 0.5 };
        var faultRate = new Option<double>("--fault-rate") { Description = "Chaos fault rate per classification (default 0.01)", DefaultValueFactory = _ => 0.01 };
        var sample = new Option<double>("--sample-seconds") { Description = "Sampling interval (s, default 10)", DefaultValueFactory = _ => 10 };
        return new CapacityInput().CreateCommand("soak", "T21: soak at 0.5xC with a 1% classifier fault rate", common, [minutes, factor, faultRate, sample], async (parse, c, ct) =>
        {
            var rate = parse.GetValue(faultRate);
            await RunAsync(common.Rig(parse, new Dictionary<string, string?>(), rate), parse.GetValue(common.Front), parse.GetValue(factor) * c.C, rate,
                TimeSpan.FromMinutes(parse.GetValue(minutes)), TimeSpan.FromSeconds(parse.GetValue(sample)), ct);
        });
    }

    private static async Task RunAsync(RigOptions options, Front front, double rate, double faultRate, TimeSpan duration, TimeSpan interval, CancellationToken ct)
    {
        Report.Machine("soak (T21)");
        Report.Line($"setup: open loop {rate:F1} requests/s for {duration.TotalMinutes:F1} min, front {front}, chaos fault rate {faultRate:P1} per classification (2 per request), production limits, Proxy:NoVerdictResponse=Error; samples every {interval.TotalSeconds:F0} s");
        long unobserved = 0, unhandled = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, _) => Interlocked.Increment(ref unobserved);
        UnhandledExceptionEventHandler onUnhandled = (_, _) => Interlocked.Increment(ref unhandled);
        TaskScheduler.UnobservedTaskException += onUnobserved;
        AppDomain.CurrentDomain.UnhandledException += onUnhandled;
        try
        {
            await using var rig = await LoadRig.StartAsync(options, ct);
            var samples = new List<ProcessSample> { ProcessSample.Take(TimeSpan.Zero) };
            Report.Line($"| t s | RSS MB | managed heap MB | fds | threads | load avg |");
            Report.Line($"|---:|---:|---:|---:|---:|---:|");
            Print(samples[0]);
            var result = await OpenLoop.RunAsync(rig.Client, new Workload("soak", front), rate, duration, maxOutstanding: 4096, 1_000, ct, at =>
            {
                if (at - samples[^1].At >= interval)
                {
                    samples.Add(ProcessSample.Take(at));
                    Print(samples[^1]);
                }
            });
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var collected = ProcessSample.Take(result.Elapsed);

            // The first minute is warm-up (JIT tiers, pools, GC heap sizing, thread-pool growth): the slope and the
            // stability checks use the samples after it; the whole-run slope is printed beside.
            var steady = samples.Where(s => s.At >= TimeSpan.FromMinutes(1)).ToList();
            if (steady.Count < 2)
            {
                steady = samples;
            }

            var slopeAll = Slope(samples, s => s.RssMb);
            var slope = Slope(steady, s => s.RssMb);

            var (fdLow, fdHigh) = Spread(steady.Select(s => (double)s.Handles));
            var (thLow, thHigh) = Spread(steady.Select(s => (double)s.Threads));
            var requests = result.Calls.Count;
            var errors = result.Count(CallKind.NoVerdict);
            var observedRate = (double)errors / requests;
            var faultedRate = (double)rig.Classifier.FaultedRequests("rid-soak-") / requests;
            var perCall = (double)rig.Classifier.Faults / rig.Classifier.Calls;
            var expected = 1 - Math.Pow(1 - faultRate, 2);
            Report.Line($"sent {requests} (not sent {result.NotSent}) in {result.Elapsed.TotalSeconds:F0} s: {result.Breakdown()}; p50 {LoadResult.P(result.Admitted, 50):F0} ms p99 {LoadResult.P(result.Admitted, 99):F0} ms");
            Report.Line($"classifier: {rig.Classifier.Calls} calls, {rig.Classifier.Faults} faults injected ({perCall:P2} per call), {rig.Classifier.FaultedRequests("rid-soak-")} requests met a fault ({faultedRate:P2}; nominal 1-(1-p)^2 = {expected:P2})");
            Report.Line($"managed heap: slope {Slope(steady, s => s.HeapMb):F2} MB/min after the first minute; after a full GC at the end {collected.HeapMb:F0} MB (RSS {collected.RssMb:F0} MB)");
            Report.Criterion("RSS slope < 1 MB/min", slope < 1, $"{slope:F2} MB/min after the first minute ({steady.Count} samples; whole run {slopeAll:F2} MB/min, {samples[0].RssMb:F0} -> {samples[^1].RssMb:F0} MB)");
            Report.Criterion("handles stable (+-5%)", fdLow >= -0.05 && fdHigh <= 0.05, $"fds {steady.Min(s => s.Handles)}-{steady.Max(s => s.Handles)} ({fdLow:P1} / {fdHigh:P1} of the median, trend {Slope(steady, s => s.Handles):F2}/min) after the first minute");
            Report.Criterion("threads stable (+-5%)", thLow >= -0.05 && thHigh <= 0.05, $"threads {steady.Min(s => s.Threads)}-{steady.Max(s => s.Threads)} ({thLow:P1} / {thHigh:P1} of the median, trend {Slope(steady, s => s.Threads):F2}/min) after the first minute");
            Report.Criterion("0 unhandled exceptions", unhandled + unobserved + rig.ErrorLogs.Count + result.Count(CallKind.Error) == 0,
                $"unhandled {unhandled}, unobserved task exceptions {unobserved}, gateway error logs {rig.ErrorLogs.Count}, other errors {result.Count(CallKind.Error)}");
            // The injected count itself is the chaos strategy's coin: its sampling noise (binomial sigma) is not the gateway's.
            var sigma = Math.Sqrt(faultRate * (1 - faultRate) / Math.Max(1, rig.Classifier.Calls));
            Report.Criterion("error rate = injected rate +- 0.2%", Math.Abs(observedRate - faultedRate) <= 0.002,
                $"no-verdict answers {observedRate:P2} vs requests that met an injected fault {faultedRate:P2} (difference {observedRate - faultedRate:P2}); injected per classification {perCall:P2} vs nominal {faultRate:P2} (binomial sigma {sigma:P2})");
            Report.Criterion("0 unmoderated forwards", rig.Ledger.Unmoderated == 0, $"{rig.Ledger.Unmoderated} of {rig.Ledger.Forwarded}");
            Report.Line($"at the end{BenchMachine.LoadAverage()}");
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= onUnobserved;
            AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
        }
    }

    private static double Slope(List<ProcessSample> samples, Func<ProcessSample, double> value) =>
        LinearFit.Slope([.. samples.Select(s => s.At.TotalMinutes)], [.. samples.Select(value)]);

    private static void Print(ProcessSample s) => Report.Line($"| {s.At.TotalSeconds:F0} | {s.RssMb:F0} | {s.HeapMb:F0} | {s.Handles} | {s.Threads} | {s.LoadAverage:F2} |");

    /// <summary>Lowest and highest value relative to the median (e.g. -0.02, +0.03).</summary>
    private static (double Low, double High) Spread(IEnumerable<double> values)
    {
        var list = values.ToList();
        var median = Percentile.Of(list, 50);
        return (list.Min() / median - 1, list.Max() / median - 1);
    }
}
