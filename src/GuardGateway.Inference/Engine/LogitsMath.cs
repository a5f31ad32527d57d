namespace GuardGateway.Inference.Engine;

/// <summary>Scores read from one logits row (float32 throughout, spec §5).</summary>
internal static class LogitsMath
{
    /// <summary>The highest-scoring id (lowest id on ties, as argmax does).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        var bestValue = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            if (logits[i] > bestValue)
            {
                bestValue = logits[i];
                best = i;
            }
        }

        return best;
    }

    /// <summary>exp(l_unsafe) / (exp(l_safe) + exp(l_unsafe)), computed stably.</summary>
    public static float UnsafeProbability(ReadOnlySpan<float> logits)
    {
        var unsafeLogit = logits[GuardTokenIds.Unsafe];
        var safeLogit = logits[GuardTokenIds.Safe];
        if (float.IsNaN(unsafeLogit) || float.IsNaN(safeLogit))
        {
            return float.NaN;
        }

        return 1f / (1f + MathF.Exp(safeLogit - unsafeLogit));
    }

    /// <summary>Softmax over the given ids' logits, each times <paramref name="scale"/>.</summary>
    public static float[] ScaledSoftmax(ReadOnlySpan<float> logits, IReadOnlyList<int> ids, float scale)
    {
        var result = new float[ids.Count];
        var max = float.NegativeInfinity;
        foreach (var id in ids)
        {
            max = MathF.Max(max, logits[id]);
        }

        var sum = 0f;
        for (var i = 0; i < ids.Count; i++)
        {
            result[i] = MathF.Exp(logits[ids[i]] - max);
            sum += result[i];
        }

        for (var i = 0; i < ids.Count; i++)
        {
            result[i] = result[i] / sum * scale;
        }

        return result;
    }
}
