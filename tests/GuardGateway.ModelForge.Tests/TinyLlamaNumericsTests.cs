namespace GuardGateway.ModelForge.Tests;

public sealed class TinyLlamaNumericsTests
{
    private static readonly long[] Prompt = [128000, 2028, 374, 264, 1296, 11914, 13, 39257, 198, 50, 16, 21861, 605];

    [Fact]
    public void Forward_IncrementalDecodingWithKv_MatchesFullRecompute()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);
        const int prefill = 6;

        var state = decoder.Forward([Prompt[..prefill]], [Ones(prefill)]).State;
        try
        {
            for (var length = prefill + 1; length <= Prompt.Length; length++)
            {
                var step = decoder.Forward([[Prompt[length - 1]]], [Ones(length)], state);
                state.Dispose();
                state = step.State;

                var recomputed = decoder.Forward([Prompt[..length]], [Ones(length)]);
                recomputed.State.Dispose();
                AssertClose(recomputed.Logits[0], step.Logits[0], 1e-4f);
            }
        }
        finally
        {
            state.Dispose();
        }
    }

    [Fact]
    public void Forward_SplitPrefillWithCachedPrefix_MatchesFullPrefill()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);

        using var prefix = decoder.Forward([Prompt[..5]], [Ones(5)]).State;
        var rest = decoder.Forward([Prompt[5..]], [Ones(Prompt.Length)], prefix);
        rest.State.Dispose();
        var full = decoder.Forward([Prompt], [Ones(Prompt.Length)]);
        full.State.Dispose();

        AssertClose(full.Logits[0], rest.Logits[0], 1e-4f);
    }

    [Fact]
    public void Forward_LeftPaddedBatch_MatchesUnbatchedRuns()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);
        long[] shortPrompt = [128000, 9906, 1917];
        var padding = Prompt.Length - shortPrompt.Length;
        long[] paddedShort = [.. Enumerable.Repeat(128004L, padding), .. shortPrompt];
        long[] shortMask = [.. Enumerable.Repeat(0L, padding), .. Ones(shortPrompt.Length)];

        var batched = decoder.Forward([Prompt, paddedShort], [Ones(Prompt.Length), shortMask]);
        var aloneLong = decoder.Forward([Prompt], [Ones(Prompt.Length)]);
        var aloneShort = decoder.Forward([shortPrompt], [Ones(shortPrompt.Length)]);

        AssertClose(aloneLong.Logits[0], batched.Logits[0], 1e-4f);
        AssertClose(aloneShort.Logits[0], batched.Logits[1], 1e-4f);

        // One decode step on the padded batch still matches.
        var nextBatched = decoder.Forward([[39257], [39257]], [[.. Ones(Prompt.Length), 1], [.. shortMask, 1]], batched.State);
        var nextShort = decoder.Forward([[39257]], [Ones(shortPrompt.Length + 1)], aloneShort.State);
        AssertClose(nextShort.Logits[0], nextBatched.Logits[1], 1e-4f);

        foreach (var result in new[] { batched, aloneLong, aloneShort, nextBatched, nextShort })
        {
            result.State.Dispose();
        }
    }

    [Fact]
    public void Forward_DifferentTokens_GiveDifferentLogits()
    {
        // Guards the equality tests above against a degenerate graph whose logits ignore the input.
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);

        var first = decoder.Forward([[128000, 2028]], [Ones(2)]);
        var second = decoder.Forward([[128000, 374]], [Ones(2)]);
        first.State.Dispose();
        second.State.Dispose();

        Assert.True(MaxDifference(first.Logits[0], second.Logits[0]) > 0.1f);
        Assert.All(first.Logits[0], v => Assert.True(float.IsFinite(v)));
    }

    internal static long[] Ones(int count) => [.. Enumerable.Repeat(1L, count)];

    internal static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = MaxDifference(expected, actual);
        Assert.True(difference <= tolerance, $"max |Δlogit| = {difference} > {tolerance}");
    }

    internal static float MaxDifference(float[] a, float[] b)
    {
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
