using GuardGateway.Inference.Engine;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>The verdict and forcing rules of spec §5 on synthetic logits.</summary>
public sealed class BatchRowTests
{
    private const int Vocab = 128256;

    [Fact]
    public void Accept_GreedyUnsafeButUnderThreshold_VerdictIsSafe()
    {
        var row = Row(threshold: 0.7f);
        row.Accept(Verdict(unsafeLogit: 0.405f, safeLogit: 0f, greedy: 39257), 24, 0); // P ≈ 0.6
        Assert.Equal([19193], row.Generated);
        Assert.InRange(row.UnsafeProbability, 0.59f, 0.61f);
    }

    [Fact]
    public void Accept_GreedySafeButOverThreshold_ForcesUnsafeNewlineSThenScores()
    {
        var row = Row(threshold: 0.2f);
        row.Accept(Verdict(unsafeLogit: -0.847f, safeLogit: 0f, greedy: 19193), 24, 0); // P ≈ 0.3
        Assert.Equal([39257], row.Generated);

        // Whatever the model prefers next, the grammar up to the number is forced.
        row.Accept(OneHot(128009), 24, 0);
        row.Accept(OneHot(128009), 24, 0);
        Assert.Equal([39257, 198, 50], row.Generated);

        var numbers = new float[Vocab];
        numbers[17] = 2f; // S2
        numbers[16] = 0f; // S1
        row.Accept(numbers, 24, 0);
        Assert.Equal(17, row.LastToken);
        Assert.NotNull(row.CategoryScores);
        var total = row.CategoryScores.Values.Sum();
        Assert.Equal(row.UnsafeProbability, total, 1e-4f);
        Assert.True(row.CategoryScores["S2"] > row.CategoryScores["S1"]);
        Assert.False(row.Finished);

        row.Accept(OneHot(128009), 24, 0);
        Assert.True(row.Finished);
    }

    [Fact]
    public void Accept_GreedyUnsafeOverThreshold_NotForced()
    {
        var row = Row(threshold: 0.5f);
        row.Accept(Verdict(unsafeLogit: 5f, safeLogit: 0f, greedy: 39257), 24, 0);
        row.Accept(OneHot(128009), 24, 0);
        Assert.Equal([39257, 128009], row.Generated);
        Assert.True(row.Finished);
        Assert.Null(row.CategoryScores);
    }

    [Fact]
    public void Accept_OtherFirstTokenUnderThreshold_KeptSoItFailsToParse()
    {
        var row = Row(threshold: 0.5f);
        row.Accept(Verdict(unsafeLogit: -5f, safeLogit: 0f, greedy: 2028), 24, 0);
        Assert.Equal([2028], row.Generated);
    }

    [Fact]
    public void Accept_MaxNewTokens_Finishes()
    {
        var row = Row(threshold: 0.5f);
        row.Accept(Verdict(unsafeLogit: 5f, safeLogit: 0f, greedy: 39257), 2, 0);
        row.Accept(OneHot(198), 2, 0);
        Assert.True(row.Finished);
        Assert.Equal(2, row.Generated.Count);
    }

    private static BatchRow Row(float threshold)
    {
        var pending = new PendingClassification([1, 2, 3], 0, ["S1", "S2", "S3"], [16, 17, 18], threshold, 0);
        return new BatchRow(pending, 0);
    }

    /// <summary>Logits with the given two-way score whose argmax is <paramref name="greedy"/>.</summary>
    private static float[] Verdict(float unsafeLogit, float safeLogit, int greedy)
    {
        var logits = new float[Vocab];
        logits.AsSpan().Fill(MathF.Min(unsafeLogit, safeLogit) - 10f);
        logits[39257] = unsafeLogit;
        logits[19193] = safeLogit;
        if (greedy is not (39257 or 19193))
        {
            logits[greedy] = MathF.Max(unsafeLogit, safeLogit) + 1f;
        }

        Assert.Equal(greedy, LogitsMath.ArgMax(logits));
        return logits;
    }

    private static float[] OneHot(int id)
    {
        var logits = new float[Vocab];
        logits[id] = 10f;
        return logits;
    }
}
