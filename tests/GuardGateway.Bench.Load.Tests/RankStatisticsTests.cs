using GuardGateway.Bench.Load.Stats;

namespace GuardGateway.Bench.Load.Tests;

/// <summary>Values computed by hand (and with Python's math.erfc for the normal tail) in the comments.</summary>
public sealed class RankStatisticsTests
{
    [Fact]
    public void U_WithTies_CountsHalf()
    {
        // x = {1,2,3}, y = {2,3,4}: (3 > 2) = 1, ties (2,2) and (3,3) = 0.5 each -> U = 2; AUC = 2 / 9.
        Assert.Equal(2, RankStatistics.U([1, 2, 3], [2, 3, 4]), 12);
        Assert.Equal(2.0 / 9, RankStatistics.Auc([1, 2, 3], [2, 3, 4]), 12);
        Assert.Equal(7.0 / 9, RankStatistics.AttackerAuc([1, 2, 3], [2, 3, 4]), 12);
    }

    [Fact]
    public void Auc_SeparatedAndIdentical_OneAndHalf()
    {
        Assert.Equal(1, RankStatistics.Auc([10, 11, 12], [1, 2]), 12);
        Assert.Equal(0, RankStatistics.Auc([1, 2], [10, 11, 12]), 12);
        Assert.Equal(0.5, RankStatistics.Auc([5, 5, 5], [5, 5]), 12);
        Assert.Equal(1, RankStatistics.AttackerAuc([1, 2], [10, 11, 12]), 12);
    }

    [Fact]
    public void MannWhitney_Separated_MatchesHandComputedNormalApproximation()
    {
        // x = 1..5, y = 6..10: U = 0, mean 12.5, sigma = sqrt(25 * 11 / 12) = 4.7871;
        // z (continuity) = (0 - 12.5 + 0.5) / 4.7871 = -2.5067, p = Phi(-2.5067) = 0.006093.
        var result = RankStatistics.MannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);

        Assert.Equal(0, result.U, 12);
        Assert.Equal(0.006093, result.PLess, 5);
        Assert.Equal(0.012186, result.PTwoSided, 5);
        Assert.True(RankStatistics.MannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).PLess > 0.99);
    }

    [Fact]
    public void MannWhitney_Ties_UsesTieCorrectedVariance()
    {
        // x = {1,2,2,3}, y = {2,3,3,4}: U_x = 0.5 + 0.5 (the 2s tie y's 2) + 1 + 2 x 0.5 (3 beats 2, ties two 3s) = 3;
        // ties: 2 x3, 3 x3 -> sum(t^3 - t) = 48; variance = 16/12 * (9 - 48 / 56) = 10.857, sigma 3.2950;
        // z = (3 - 8 + 0.5) / 3.2950 = -1.3657, p = Phi(-1.3657) = 0.086017.
        var result = RankStatistics.MannWhitney([1, 2, 2, 3], [2, 3, 3, 4]);

        Assert.Equal(3, result.U, 12);
        Assert.Equal(0.086017, result.PLess, 5);
    }

    [Fact]
    public void Erfc_KnownValues()
    {
        Assert.Equal(1, RankStatistics.Erfc(0), 6);
        Assert.Equal(0.157299, RankStatistics.Erfc(1), 6);
        Assert.Equal(1.842701, RankStatistics.Erfc(-1), 6);
        Assert.Equal(0.975, RankStatistics.NormalCdf(1.959964), 6);
    }

    [Fact]
    public void Slope_Line_Exact()
    {
        Assert.Equal(2, LinearFit.Slope([0, 1, 2], [1, 3, 5]), 12);
        Assert.Equal(-0.5, LinearFit.Slope([0, 2, 4, 6], [10, 9, 8, 7]), 12);
        Assert.True(double.IsNaN(LinearFit.Slope([1], [1])));
    }
}
