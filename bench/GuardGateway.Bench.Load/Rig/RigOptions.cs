namespace GuardGateway.Bench.Load.Rig;

/// <summary>What a load rig runs: the stub's CPU cost and threads, the fault rate, the upstream's delay, gateway settings.</summary>
internal sealed record RigOptions
{
    /// <summary>CPU burned per classification (the plan: 20 ms).</summary>
    public TimeSpan Burn { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The stub engine's dedicated threads (default: one per core).</summary>
    public int EngineThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Chaos fault rate on every classification (0 = none).</summary>
    public double FaultRate { get; init; }

    /// <summary>How long the fake upstream takes to answer.</summary>
    public TimeSpan UpstreamDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Gateway configuration on top of the rig's defaults.</summary>
    public IReadOnlyDictionary<string, string?> Gateway { get; init; } = new Dictionary<string, string?>();
}
