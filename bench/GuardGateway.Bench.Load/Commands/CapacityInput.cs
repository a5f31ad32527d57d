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

    public void AddTo(Command command)
    {
        command.Options.Add(P99Bound);
        command.Options.Add(Capacity);
        command.Options.Add(Concurrency);
        command.Options.Add(P99);
        command.Options.Add(StepSeconds);
    }

    public async Task<CapacityResult?> ResolveAsync(ParseResult parse, CommonOptions common, CancellationToken cancellationToken)
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
