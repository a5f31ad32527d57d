namespace GuardGateway.Bench.Load.Stats;

/// <summary>
/// Rank statistics for the timing side-channel test (RELIABILITY.md T20): the ROC AUC of a latency-only classifier and
/// the Mann-Whitney U test, from midranks (ties count one half), normal approximation with tie and continuity
/// correction (fine for the thousands of samples the bench takes). Hand-checked values are in the unit tests.
/// </summary>
internal static class RankStatistics
{
    /// <summary>
    /// U of <paramref name="x"/>: the number of pairs (a in x, b in y) with a &gt; b, plus one half per tie.
    /// x = {1,2,3}, y = {2,3,4}: pairs with a &gt; b: (3,2) = 1, ties (2,2), (3,3) = 2 x 0.5 = 1, so U = 2.
    /// </summary>
    public static double U(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var (ranks, _) = MidRanks(x, y);
        var rankSumX = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            rankSumX += ranks[i];
        }

        return rankSumX - (x.Count * (x.Count + 1) / 2.0);
    }

    /// <summary>
    /// The AUC of the rule "slower means <paramref name="positives"/>": P(positive latency &gt; negative latency) + half
    /// the ties = U / (n1 n2). 0.5 = no information; 1 or 0 = perfectly separable (an attacker flips the rule), so the
    /// attacker's AUC is max(auc, 1 - auc).
    /// </summary>
    public static double Auc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(negatives);
        if (positives.Count == 0 || negatives.Count == 0)
        {
            return double.NaN;
        }

        return U(positives, negatives) / ((double)positives.Count * negatives.Count);
    }

    /// <summary>The AUC an attacker gets, who may flip the rule: max(auc, 1 - auc).</summary>
    public static double AttackerAuc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        var auc = Auc(positives, negatives);
        return Math.Max(auc, 1 - auc);
    }

    /// <summary>
    /// Mann-Whitney U test of "x tends to be smaller than y" (one-sided; e.g. repeats faster than fresh prompts):
    /// z = (U_x - n1 n2 / 2 + 1/2) / sigma with the tie-corrected sigma, p = Phi(z). Also the two-sided p.
    /// </summary>
    public static MannWhitneyResult MannWhitney(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        double n1 = x.Count, n2 = y.Count, n = n1 + n2;
        var (_, tieTerm) = MidRanks(x, y);
        var u = U(x, y);
        var mean = n1 * n2 / 2;
        var variance = n1 * n2 / 12 * (n + 1 - (tieTerm / (n * (n - 1))));
        if (variance <= 0)
        {
            return new MannWhitneyResult(u, 0, 1, 1);
        }

        var sigma = Math.Sqrt(variance);
        var zLess = (u - mean + 0.5) / sigma;
        var zTwo = (Math.Abs(u - mean) - 0.5) / sigma;
        return new MannWhitneyResult(u, (u - mean) / sigma, NormalCdf(zLess), Math.Min(1, 2 * (1 - NormalCdf(Math.Max(0, zTwo)))));
    }

    /// <summary>The standard normal CDF, Phi(z) = erfc(-z / sqrt 2) / 2.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function (Numerical Recipes' Chebyshev fit, fractional error below 1.2e-7 everywhere):
    /// erfc(0) = 1, erfc(1) = 0.157299, erfc(-1) = 1.842701.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var poly = -z * z - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        var result = t * Math.Exp(poly);
        return x >= 0 ? result : 2 - result;
    }

    /// <summary>Midranks of x then y in the pooled sample (1-based), and sum(t^3 - t) over tie groups.</summary>
    private static (double[] Ranks, double TieTerm) MidRanks(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var pooled = new (double Value, int Index)[x.Count + y.Count];
        for (var i = 0; i < x.Count; i++)
        {
            pooled[i] = (x[i], i);
        }

        for (var i = 0; i < y.Count; i++)
        {
            pooled[x.Count + i] = (y[i], x.Count + i);
        }

        Array.Sort(pooled, (a, b) => a.Value.CompareTo(b.Value));
        var ranks = new double[pooled.Length];
        var tieTerm = 0.0;
        for (var start = 0; start < pooled.Length;)
        {
            var end = start;
            while (end + 1 < pooled.Length && pooled[end + 1].Value.Equals(pooled[start].Value))
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[pooled[k].Index] = rank;
            }

            double t = end - start + 1;
            tieTerm += (t * t * t) - t;
            start = end + 1;
        }

        return (ranks, tieTerm);
    }
}
