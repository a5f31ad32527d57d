namespace GuardGateway.ModelForge.Tests;

/// <summary>
/// A test-only greedy decode loop with KV cache (prefill, then one token at a time feeding present as past),
/// over a left-padded batch, optionally with the prefill split in two (a cached prefix as past, then the rest).
/// </summary>
internal static class GreedyGuardDecoder
{
    public const int Safe = 19193;
    public const int Unsafe = 39257;
    private static readonly HashSet<int> StopIds = [128001, 128008, 128009];

    public static GuardRun Run(DecoderSession decoder, int[] prompt, int maxNewTokens = 24) =>
        RunBatch(decoder, [prompt], maxNewTokens)[0];

    public static GuardRun[] RunBatch(DecoderSession decoder, IReadOnlyList<int[]> prompts, int maxNewTokens = 24, int splitAt = 0)
    {
        var batch = prompts.Count;
        var longest = prompts.Max(p => p.Length);
        var ids = new long[batch][];
        var mask = new List<long>[batch];
        for (var b = 0; b < batch; b++)
        {
            var padding = longest - prompts[b].Length;
            ids[b] = [.. Enumerable.Repeat(128004L, padding), .. prompts[b].Select(i => (long)i)];
            mask[b] = [.. Enumerable.Repeat(0L, padding), .. Enumerable.Repeat(1L, prompts[b].Length)];
        }

        return RunPadded(decoder, ids, mask, maxNewTokens, splitAt);
    }

    /// <summary>Greedy decoding from prepared rows: padding may sit anywhere the mask says (0 = padding).</summary>
    public static GuardRun[] RunPadded(DecoderSession decoder, long[][] ids, List<long>[] mask, int maxNewTokens = 24, int splitAt = 0)
    {
        var batch = ids.Length;
        StepResult step;
        if (splitAt > 0)
        {
            using var prefix = decoder.Forward([.. ids.Select(r => r[..splitAt])], [.. mask.Select(m => m.Take(splitAt).ToArray())]);
            step = decoder.Forward([.. ids.Select(r => r[splitAt..])], [.. mask.Select(m => m.ToArray())], prefix.State);
        }
        else
        {
            step = decoder.Forward(ids, [.. mask.Select(m => m.ToArray())]);
        }

        var probabilities = step.Logits.Select(UnsafeProbability).ToArray();
        var generated = new List<int>[batch];
        var done = new bool[batch];
        for (var b = 0; b < batch; b++)
        {
            generated[b] = [];
        }

        try
        {
            for (var n = 0; n < maxNewTokens && !done.All(d => d); n++)
            {
                var next = new long[batch][];
                for (var b = 0; b < batch; b++)
                {
                    var token = ArgMax(step.Logits[b]);
                    if (!done[b])
                    {
                        generated[b].Add(token);
                        done[b] = StopIds.Contains(token);
                    }

                    next[b] = [token];
                    mask[b].Add(1);
                }

                if (done.All(d => d))
                {
                    break;
                }

                var following = decoder.Forward(next, [.. mask.Select(m => m.ToArray())], step.State);
                step.State.Dispose();
                step = following;
            }
        }
        finally
        {
            step.State.Dispose();
        }

        return [.. Enumerable.Range(0, batch).Select(b => new GuardRun(generated[b], probabilities[b]))];
    }

    /// <summary>Spec §5: exp(l_unsafe) / (exp(l_safe) + exp(l_unsafe)), in float64 here.</summary>
    public static double UnsafeProbability(float[] logits) =>
        1.0 / (1.0 + Math.Exp(logits[Safe] - (double)logits[Unsafe]));

    public static int ArgMax(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
