using GuardGateway.Bench.Hosting;

namespace GuardGateway.Bench.Gateway;

/// <summary>What one target (direct or a gateway setting) measured under one load.</summary>
internal sealed record PhaseResult(
    string Target,
    string Load,
    IReadOnlyList<StreamSample> Samples,
    double? ChecksPerStream,
    IReadOnlyList<double> FirstReleaseDelaysMs)
{
    public IReadOnlyList<StreamSample> Good => [.. Samples.Where(s => s.Complete)];

    public int Failures => Samples.Count - Good.Count;

    public double TtftP50 => Percentile.Of(Good.Select(s => s.TtftMs), 50);

    public double TtftP99 => Percentile.Of(Good.Select(s => s.TtftMs), 99);

    public double TotalP50 => Percentile.Of(Good.Select(s => s.TotalMs), 50);

    public double TotalP99 => Percentile.Of(Good.Select(s => s.TotalMs), 99);
}
