using System.CommandLine;
using GuardGateway.Bench.Load.Rig;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>Options every subcommand takes: the stub's cost and threads, the upstream delay, the front.</summary>
internal sealed class CommonOptions
{
    public Option<double> BurnMs { get; } = new("--burn-ms") { Description = "CPU per classification of the stub (ms, default 20)", DefaultValueFactory = _ => 20 };

    public Option<int> EngineThreads { get; } = new("--engine-threads") { Description = "Dedicated threads of the stub engine (default: cores)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public Option<double> UpstreamMs { get; } = new("--upstream-ms") { Description = "Delay of the fake upstream's answer (ms, default 10)", DefaultValueFactory = _ => 10 };

    public Option<Front> Front { get; } = new("--front") { Description = "Http, Grpc or Both (alternating; default)", DefaultValueFactory = _ => GuardGateway.Bench.Load.Rig.Front.Both };

    public void AddTo(Command command)
    {
        command.Options.Add(BurnMs);
        command.Options.Add(EngineThreads);
        command.Options.Add(UpstreamMs);
        command.Options.Add(Front);
    }

    public RigOptions Rig(ParseResult parse, IReadOnlyDictionary<string, string?> gateway, double faultRate = 0) => new()
    {
        Burn = TimeSpan.FromMilliseconds(parse.GetValue(BurnMs)),
        EngineThreads = parse.GetValue(EngineThreads),
        UpstreamDelay = TimeSpan.FromMilliseconds(parse.GetValue(UpstreamMs)),
        FaultRate = faultRate,
        Gateway = gateway,
    };
}
