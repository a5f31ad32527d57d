namespace GuardGateway.Bench.Hosting;

/// <summary>Nearest-rank percentiles (with few samples p99 is the maximum).</summary>
public static class Percentile
{
    public static double Of(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
