namespace GuardGateway.Fuzzing.Targets.Running;

/// <summary>Bounds of a built-in mutation run.</summary>
public sealed record FuzzRunOptions
{
    /// <summary>Stop after this many executions.</summary>
    public long MaxExecutions { get; init; } = 100_000;

    /// <summary>Stop after this much time, whatever the count.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>One input running longer than this is a hang (T16: 1 s).</summary>
    public TimeSpan PerInputLimit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The random seed: the same seed and corpus give the same inputs.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Longest generated input, in bytes.</summary>
    public int MaxInputLength { get; init; } = 4096;

    /// <summary>Stop at the first crash (the default) or collect up to this many.</summary>
    public int MaxFindings { get; init; } = 1;
}
