using GuardGateway.Bench.Hosting;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>What one load phase measured.</summary>
internal sealed record LoadResult(IReadOnlyList<CallResult> Calls, TimeSpan Elapsed, int NotSent)
{
    public IEnumerable<CallResult> Of(CallKind kind) => Calls.Where(c => c.Kind == kind);

    public int Count(CallKind kind) => Calls.Count(c => c.Kind == kind);

    /// <summary>Answered by the guard (allowed or blocked): not shed and not failed.</summary>
    public IEnumerable<CallResult> Admitted => Calls.Where(c => c.Kind is CallKind.Allowed or CallKind.Blocked);

    /// <summary>Allowed answers per second.</summary>
    public double Goodput => Count(CallKind.Allowed) / Elapsed.TotalSeconds;

    public double Throughput => Admitted.Count() / Elapsed.TotalSeconds;

    public static double P(IEnumerable<CallResult> calls, double percentile) => Percentile.Of(calls.Select(c => c.Ms), percentile);

    /// <summary>"kind: count (detail counts)" for every kind seen.</summary>
    public string Breakdown() => string.Join(", ", Calls.GroupBy(c => c.Kind).OrderBy(g => g.Key).Select(g =>
        $"{g.Key} {g.Count()} ({string.Join(", ", g.GroupBy(c => c.Detail).Select(d => $"{d.Key}: {d.Count()}"))})"));
}
