namespace GuardGateway.Fuzzing.Targets.Running;

/// <summary>What a replay or a mutation run did.</summary>
/// <param name="Target">The target name.</param>
/// <param name="Executions">Inputs run to completion.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="SlowestInput">The longest single input.</param>
/// <param name="Findings">Crashes and hangs (the run stops at the first hang: the input cannot be aborted).</param>
public sealed record FuzzRunReport(string Target, long Executions, TimeSpan Elapsed, TimeSpan SlowestInput, IReadOnlyList<FuzzFinding> Findings)
{
    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Target}: {Executions} execs in {Elapsed.TotalSeconds:F1} s ({Executions / Math.Max(Elapsed.TotalSeconds, 1e-3):F0}/s), slowest input {SlowestInput.TotalMilliseconds:F1} ms, {Findings.Count(f => f.Kind == "crash")} crashes, {Findings.Count(f => f.Kind == "hang")} hangs");
}
