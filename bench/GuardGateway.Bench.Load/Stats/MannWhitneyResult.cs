namespace GuardGateway.Bench.Load.Stats;

/// <summary>A Mann-Whitney U test: U of the first sample, the z score, one-sided p (first smaller) and two-sided p.</summary>
internal sealed record MannWhitneyResult(double U, double Z, double PLess, double PTwoSided);
