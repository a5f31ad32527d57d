namespace GuardGateway.Bench.Load.Stats;

/// <summary>Least-squares line y = intercept + slope x (the soak's RSS slope in MB per minute).</summary>
internal static class LinearFit
{
    /// <summary>The slope; NaN with fewer than two distinct x. Points (0,1), (1,3), (2,5): slope 2.</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || x.Count < 2)
        {
            return double.NaN;
        }

        double meanX = x.Average(), meanY = y.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }

        return sxx == 0 ? double.NaN : sxy / sxx;
    }
}
