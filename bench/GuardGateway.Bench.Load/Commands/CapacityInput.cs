using System.CommandLine;
using GuardGateway.Bench.Load.Rig;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>How overload and soak learn C: from flags (a previous capacity run) or by measuring it first.</summary>
internal sealed class CapacityInput
{
    public Option<double?> Capacity { get; } = new("--capacity") { Description = "C in requests/s from a capacity run (default: measure first)" };

    public Option<int?> Concurrency { get; } = new("--capacity-concurrency") { Description = "The concurrency at C (with --capacity)" };

    public Option<double?> P99 { get; } = new("--capacity-p99") { Description = "p99 ms at 1xC (with --capacity)" };

    public Option<double> StepSeconds { get; } = new("--step-seconds") { Description = "Ramp step when C is measured first (s, default 10)", DefaultValueFactory = _ => 10 };

    public Option<double> P99Bound { get; } = CapacityCommand.P99Bound();

    /// <summary>
    /// A subcommand run against C (overload, soak): the common options, these, then <paramref name="options"/>. Its action
    /// learns C first (exit 1 when it cannot), then runs <paramref name="run"/>; exit 1 when any criterion failed.
    /// </summary>
    public Command CreateCommand(
        string name,
        string description,
        CommonOptions common,
        IEnumerable<Option> options,
        Func<ParseResult, CapacityResult, CancellationToken, Task> run)
    {
        var command = new Command(name, description);
        common.AddTo(command);
        command.Options.Add(P99Bound);
        command.Options.Add(Capacity);
        command.Options.Add(Concurrency);
        command.Options.Add(P99);
        command.Options.Add(StepSeconds);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (await ResolveAsync(parse, common, ct) is not { } c)
            {
                return 1;
            }

            await run(parse, c, ct);
            return Report.Failures == 0 ? 0 : 1;
        });
        return command;
    }

    private async Task<CapacityResult?> ResolveAsync(ParseResult parse, CommonOptions common, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Capacity) is { } c)
        {
            return new CapacityResult(c, parse.GetValue(Concurrency) ?? 4, double.NaN, parse.GetValue(P99) ?? double.NaN);
        }

        var result = await CapacityCommand.MeasureAsync(
            common.Rig(parse, new Dictionary<string, string?>()),
            parse.GetValue(common.Front),
            CapacityCommand.Levels("1,2,3,4,6,8,12,16,24"),
            TimeSpan.FromSeconds(parse.GetValue(StepSeconds)),
            parse.GetValue(P99Bound),
            cancellationToken);
        Console.WriteLine();
        return result;
    }
}
