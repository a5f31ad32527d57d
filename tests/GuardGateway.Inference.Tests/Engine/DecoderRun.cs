using GuardGateway.Inference.Engine;
using Microsoft.ML.OnnxRuntime;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>Helpers to drive a <see cref="DecoderSession"/> directly.</summary>
internal static class DecoderRun
{
    /// <summary>Runs rows (already padded to one length) over a past; returns last-row logits per row and the present.</summary>
    public static (float[][] Logits, KvState Present) Step(DecoderSession decoder, KvState past, long[][] ids, long[][] masks)
    {
        var batch = ids.Length;
        var length = ids[0].Length;
        var logits = new float[batch * decoder.VocabSize];
        using var options = new RunOptions();
        var present = decoder.Run(past, ids.SelectMany(x => x).ToArray(), length, masks.SelectMany(x => x).ToArray(), logits, options);
        return ([.. Enumerable.Range(0, batch).Select(b => logits.AsSpan(b * decoder.VocabSize, decoder.VocabSize).ToArray())], present);
    }

    /// <summary>A fresh run of one sequence with no past.</summary>
    public static (float[] Logits, KvState Present) Full(DecoderSession decoder, long[] ids)
    {
        using var empty = KvState.Allocate(decoder.Contract, 1, 0);
        var (logits, present) = Step(decoder, empty, [ids], [Ones(ids.Length)]);
        return (logits[0], present);
    }

    public static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();

    public static long[] Zeros(int n) => new long[n];

    public static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        var at = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = MathF.Abs(expected[i] - actual[i]);
            Assert.False(float.IsNaN(actual[i]), $"NaN at {i}");
            if (diff > worst)
            {
                worst = diff;
                at = i;
            }
        }

        Assert.True(worst <= tolerance, $"max |diff| {worst} at id {at} (expected {expected[at]}, actual {actual[at]}) exceeds {tolerance}");
    }
}
