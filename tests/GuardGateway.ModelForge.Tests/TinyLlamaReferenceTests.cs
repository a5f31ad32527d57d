namespace GuardGateway.ModelForge.Tests;

public sealed class TinyLlamaReferenceTests
{
    public static TheoryData<int, int> HeadLayouts => new() { { 4, 2 }, { 4, 1 }, { 2, 2 } };

    [Theory]
    [MemberData(nameof(HeadLayouts))]
    public void Forward_OrtLogits_MatchIndependentNaiveForwardPass(int heads, int kvHeads)
    {
        var options = new TinyLlamaOptions { Heads = heads, KvHeads = kvHeads, Seed = 11, RopeTheta = 10000 };
        var model = ForgedModels.TinyLlama(options);
        long[] ids = [128000, 2028, 374, 264, 1296, 11914, 13, 39257, 198];
        using var decoder = new DecoderSession(model.ModelPath);

        using var step = decoder.Forward([ids], [TinyLlamaNumericsTests.Ones(ids.Length)], allLogits: true);
        var reference = new NaiveLlama(new ForgedWeights(model.ModelPath), options).Forward(ids);

        var maxDifference = 0.0;
        for (var t = 0; t < ids.Length; t++)
        {
            for (var v = 0; v < Forge.VocabularySize; v++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(reference[t][v] - step.Logits[0][(t * Forge.VocabularySize) + v]));
            }
        }

        Assert.True(maxDifference < 1e-4, $"max |ORT − naive| = {maxDifference}");
        Assert.True(reference[^1].Max() - reference[^1].Min() > 1, "logits must not be flat");
    }
}
