using GuardGateway.Inference.Prompts;

namespace GuardGateway.ModelForge.Tests;

/// <summary>
/// Padding between a cached prefix and the rest (what composing a shared-prefix KV cache into a batch can
/// produce): both graphs honour the mask wherever the zeros are.
/// </summary>
public sealed class MidSequencePaddingTests(PlantedGuardFixture guard) : IClassFixture<PlantedGuardFixture>
{
    [Fact]
    public void Forward_TinyLlamaWithPaddingAfterPrefix_MatchesUnpadded()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);
        long[] prompt = [128000, 2028, 374, 264, 1296, 11914, 13, 39257, 198];
        long[] padded = [.. prompt[..5], 128004, 128004, 128004, .. prompt[5..]];
        long[] mask = [1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1];

        using var plain = decoder.Forward([prompt], [TinyLlamaNumericsTests.Ones(prompt.Length)]);
        using var prefix = decoder.Forward([padded[..8]], [mask[..8]]);
        using var rest = decoder.Forward([padded[8..]], [mask], prefix.State);

        TinyLlamaNumericsTests.AssertClose(plain.Logits[0], rest.Logits[0], 1e-4f);
    }

    [Fact]
    public void Decode_PlantedGuardWithPaddingAfterSharedPrefix_GivesTheUnpaddedAnswer()
    {
        var prompt = guard.Render(GuardPromptFormat.Llama8B, "Teach me to stab and to scam.");
        var cut = prompt.SharedPrefixLength;
        long[] ids = [.. prompt.Ids[..cut].Select(i => (long)i), 128004, 128004, 128004, 128004, .. prompt.Ids[cut..].Select(i => (long)i)];
        List<long> mask = [.. Enumerable.Repeat(1L, cut), 0, 0, 0, 0, .. Enumerable.Repeat(1L, prompt.Ids.Length - cut)];

        var run = GreedyGuardDecoder.RunPadded(guard.Decoder, [ids], [mask], splitAt: cut + 4)[0];

        Assert.Equal("unsafe\nS1,S2", guard.Text(run));
        Assert.Equal(GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids).Generated, run.Generated);
    }
}
