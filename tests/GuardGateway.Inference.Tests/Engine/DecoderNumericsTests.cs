using GuardGateway.Inference.Engine;
using GuardGateway.ModelForge;
using static GuardGateway.Inference.Tests.Engine.DecoderRun;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>The engine's KV, batching and prefix mechanics reproduce full, unbatched, uncached runs on a real Llama graph.</summary>
public sealed class DecoderNumericsTests
{
    private static readonly long[] Prompt = [128000, 128006, 882, 128007, 271, 2028, 374, 264, 1296, 11914, 13, 128009, 128006, 78191, 128007, 271];

    [Fact]
    public void Run_IncrementalDecoding_MatchesFullRecompute()
    {
        using var decoder = TestModels.OpenDecoder(TestModels.TinyLlama);
        AssertIncrementalMatchesFull(decoder, 1e-4f);
    }

    [Fact]
    public void Run_Fp16Model_IncrementalDecodingMatchesFullRecompute()
    {
        using var decoder = TestModels.OpenDecoder(TestModels.Tiny(new TinyLlamaOptions { DType = ForgeDType.Fp16 }));
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, decoder.Contract.KvElementType);
        AssertIncrementalMatchesFull(decoder, 2e-2f);
    }

    [Fact]
    public void Run_LeftPaddedBatch_MatchesUnbatched()
    {
        using var decoder = TestModels.OpenDecoder(TestModels.TinyLlama);
        AssertBatchMatchesUnbatched(decoder);
    }

    [Fact]
    public void Run_NoPositionIdsGraph_LeftPaddedBatchMatchesUnbatched()
    {
        using var decoder = TestModels.OpenDecoder(TestModels.Tiny(new TinyLlamaOptions { IncludePositionIds = false }));
        Assert.Null(decoder.Contract.PositionIds);
        AssertBatchMatchesUnbatched(decoder);
    }

    [Fact]
    public void Run_ComposedPrefixesWithPadding_MatchUncachedRuns()
    {
        using var decoder = TestModels.OpenDecoder(TestModels.TinyLlama);
        long[] other = [128000, 128006, 882, 128007, 271, 9906, 1917, 0, 11, 271, 3923];
        int[] prefixLengths = [9, 5];
        long[][] sequences = [Prompt, other];

        // Batch-1 prefix states, as the prefix cache holds them.
        var prefixes = new KvState?[2];
        try
        {
            for (var b = 0; b < 2; b++)
            {
                prefixes[b] = Full(decoder, sequences[b][..prefixLengths[b]]).Present;
            }

            var pastLength = prefixLengths.Max();
            var newLengths = sequences.Select((s, b) => s.Length - prefixLengths[b]).ToArray();
            var newLength = newLengths.Max();
            var ids = new long[2][];
            var masks = new long[2][];
            for (var b = 0; b < 2; b++)
            {
                ids[b] = [.. Enumerable.Repeat(128009L, newLength - newLengths[b]), .. sequences[b][prefixLengths[b]..]];
                masks[b] = [.. Zeros(pastLength - prefixLengths[b]), .. Ones(prefixLengths[b]), .. Zeros(newLength - newLengths[b]), .. Ones(newLengths[b])];
            }

            using var past = KvState.ComposeLeftPadded(decoder.Contract, prefixes, pastLength);
            var (logits, present) = Step(decoder, past, ids, masks);
            present.Dispose();
            for (var b = 0; b < 2; b++)
            {
                var (expected, state) = Full(decoder, sequences[b]);
                state.Dispose();
                AssertClose(expected, logits[b], 1e-4f);
            }
        }
        finally
        {
            foreach (var prefix in prefixes)
            {
                prefix?.Dispose();
            }
        }
    }

    [Fact]
    public void Run_LastPositionGraphEdit_GivesTheUneditedLastRow()
    {
        using var edited = TestModels.OpenDecoder(TestModels.TinyLlama, lastPositionOnly: true);
        using var plain = TestModels.OpenDecoder(TestModels.TinyLlama, lastPositionOnly: false);
        Assert.True(edited.Contract.LastPositionLogitsOnly);
        Assert.False(plain.Contract.LastPositionLogitsOnly);

        var (a, s1) = Full(edited, Prompt);
        var (b, s2) = Full(plain, Prompt);
        s1.Dispose();
        s2.Dispose();
        AssertClose(b, a, 1e-5f);
    }

    [Fact]
    public void GatherRows_DropsARow_DecodingContinuesIdentically()
    {
        using var decoder = TestModels.OpenDecoder(TestModels.TinyLlama);
        using var empty = KvState.Allocate(decoder.Contract, 2, 0);
        long[] second = [.. Prompt[..^1], 13];
        var (_, present) = Step(decoder, empty, [Prompt, second], [Ones(Prompt.Length), Ones(Prompt.Length)]);
        using (present)
        using (var kept = present.GatherRows([1]))
        {
            var (logits, next) = Step(decoder, kept, [[2028]], [Ones(Prompt.Length + 1)]);
            next.Dispose();
            var (expected, state) = Full(decoder, [.. second, 2028]);
            state.Dispose();
            AssertClose(expected, logits[0], 1e-4f);
        }
    }

    private static void AssertIncrementalMatchesFull(DecoderSession decoder, float tolerance)
    {
        const int prefill = 8;
        var (_, state) = Full(decoder, Prompt[..prefill]);
        try
        {
            for (var length = prefill + 1; length <= Prompt.Length; length++)
            {
                var (logits, next) = Step(decoder, state, [[Prompt[length - 1]]], [Ones(length)]);
                state.Dispose();
                state = next;
                var (expected, full) = Full(decoder, Prompt[..length]);
                full.Dispose();
                AssertClose(expected, logits[0], tolerance);
            }
        }
        finally
        {
            state.Dispose();
        }
    }

    private static void AssertBatchMatchesUnbatched(DecoderSession decoder)
    {
        long[] shorter = [128000, 9906, 1917, 11, 271];
        var padding = Prompt.Length - shorter.Length;
        using var empty = KvState.Allocate(decoder.Contract, 2, 0);
        var (logits, present) = Step(
            decoder,
            empty,
            [Prompt, [.. Enumerable.Repeat(128009L, padding), .. shorter]],
            [Ones(Prompt.Length), [.. Zeros(padding), .. Ones(shorter.Length)]]);
        var (a, s1) = Full(decoder, Prompt);
        var (b, s2) = Full(decoder, shorter);
        s1.Dispose();
        AssertClose(a, logits[0], 1e-4f);
        AssertClose(b, logits[1], 1e-4f);

        // One decode step on the padded batch still matches.
        using (present)
        using (s2)
        {
            var (stepLogits, next) = Step(decoder, present, [[2028], [2028]], [Ones(Prompt.Length + 1), [.. Zeros(padding), .. Ones(shorter.Length + 1)]]);
            next.Dispose();
            var (expected, s3) = Full(decoder, [.. shorter, 2028]);
            s3.Dispose();
            AssertClose(expected, stepLogits[1], 1e-4f);
        }
    }
}
