using System.CommandLine;
using GuardGateway.Bench.Load.Rig;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>
/// T9a: closed-loop ramp of concurrency against the gateway with the stub classifier (production limits), one step per
/// level; C = the highest allowed-answer throughput among steps whose p99 stays under the bound (the plan's 250 ms;
/// <c>--p99-bound-ms</c> relaxes it on a machine so loaded that even one request at a time misses it).
/// </summary>
internal static class CapacityCommand
{
    public static Option<double> P99Bound() => new("--p99-bound-ms") { Description = "p99 bound that defines C (ms, the plan's 250)", DefaultValueFactory = _ => 250 };

    public static Command Create()
    {
        var common = new CommonOptions();
        var step = new Option<double>("--step-seconds") { Description = "Length of each ramp step (s; the plan says 60, default 10)", DefaultValueFactory = _ => 10 };
        var levels = new Option<string>("--levels") { Description = "Concurrency levels of the ramp (default 1,2,3,4,6,8,12,16,24)", DefaultValueFactory = _ => "1,2,3,4,6,8,12,16,24" };
        var bound = P99Bound();
        var command = new Command("capacity", "T9a: find C, the throughput at which p99 < 250 ms (closed loop ramp)");
        common.AddTo(command);
        command.Options.Add(bound);
        command.Options.Add(step);
        command.Options.Add(levels);
        command.SetAction(async (parse, ct) =>
        {
            var result = await MeasureAsync(common.Rig(parse, new Dictionary<string, string?>()), parse.GetValue(common.Front), Levels(parse.GetValue(levels)!), TimeSpan.FromSeconds(parse.GetValue(step)), parse.GetValue(bound), ct);
            return result is null ? 1 : 0;
        });
        return command;
    }

    public static int[] Levels(string text) => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => int.Parse(l, Report.Culture))];

    /// <summary>Runs the ramp, prints a table and C; null when no step met the bound.</summary>
    public static async Task<CapacityResult?> MeasureAsync(RigOptions options, Front front, int[] levels, TimeSpan step, double p99Bound, CancellationToken cancellationToken)
    {
        Report.Machine("capacity (T9a)");
        Report.Line($"setup: stub classifier {options.Burn.TotalMilliseconds:F0} ms CPU per call on {options.EngineThreads} engine threads, 2 classifications per request (input, output); upstream {options.UpstreamDelay.TotalMilliseconds:F0} ms; front {front}; production limits; {step.TotalSeconds:F0} s per step; C defined by p99 < {p99Bound:F0} ms");
        await using var rig = await LoadRig.StartAsync(options, cancellationToken);
        var workload = new Workload("cap", front);
        var steps = new List<(int Concurrency, LoadResult Result, double Load)>();
        Report.Line($"| concurrency | requests | allowed/s | p50 ms | p99 ms | other answers | load avg |");
        Report.Line($"|---:|---:|---:|---:|---:|---|---:|");
        long number = 1_000;
        foreach (var level in levels)
        {
            var result = await ClosedLoop.RunAsync(rig.Client, workload, level, step, maxRequests: 100_000, number, cancellationToken);
            number += result.Calls.Count + 1;
            var load = Hosting.BenchMachine.LoadAverage1();
            steps.Add((level, result, load));
            var other = result.Calls.Count - result.Count(CallKind.Allowed);
            Report.Line($"| {level} | {result.Calls.Count} | {result.Goodput:F1} | {LoadResult.P(result.Of(CallKind.Allowed), 50):F0} | {LoadResult.P(result.Of(CallKind.Allowed), 99):F0} | {(other == 0 ? "0" : result.Breakdown())} | {load:F2} |");
            if (LoadResult.P(result.Of(CallKind.Allowed), 99) >= p99Bound)
            {
                break;
            }
        }

        var eligible = steps.Where(s => LoadResult.P(s.Result.Of(CallKind.Allowed), 99) < p99Bound && s.Result.Count(CallKind.Allowed) == s.Result.Calls.Count).ToList();
        if (eligible.Count == 0)
        {
            Report.Line($"no step kept p99 under {p99Bound} ms");
            return null;
        }

        var best = eligible.MaxBy(s => s.Result.Goodput);
        var capacity = new CapacityResult(best.Result.Goodput, best.Concurrency, LoadResult.P(best.Result.Of(CallKind.Allowed), 50), LoadResult.P(best.Result.Of(CallKind.Allowed), 99));
        var ideal = options.EngineThreads * 1000 / (2 * options.Burn.TotalMilliseconds);
        Report.Line($"C = {capacity.C:F1} requests/s at concurrency {capacity.Concurrency}: p50 {capacity.P50:F0} ms, p99 {capacity.P99:F0} ms (stub-bound ideal {ideal:F0}/s = {capacity.C / ideal:P0} of it); unmoderated forwards {rig.Ledger.Unmoderated}; gateway error logs {rig.ErrorLogs.Count}");
        return capacity;
    }
}
