using GuardGateway.Inference.Prompts;
using GuardGateway.TestUtilities;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.ModelForge.Tests;

public sealed class ForgeVariantTests
{
    private static readonly long[] Prompt = [128000, 2028, 374, 264, 1296, 11914, 13, 39257, 198, 50, 16, 21861, 605];

    [Fact]
    public void Session_Fp16TinyLlama_DeclaresFloat16KvAndLogits()
    {
        using var decoder = new DecoderSession(ForgedModels.TinyLlama(new TinyLlamaOptions { DType = ForgeDType.Fp16 }).ModelPath);
        var session = decoder.Session;

        TinyLlamaContractTests.AssertTensor(session.InputMetadata["input_ids"], TensorElementType.Int64, ["batch_size", "sequence_length"], [-1, -1]);
        TinyLlamaContractTests.AssertTensor(session.InputMetadata["past_key_values.0.key"], TensorElementType.Float16, ["batch_size", "", "past_sequence_length", ""], [-1, 2, -1, 16]);
        TinyLlamaContractTests.AssertTensor(session.OutputMetadata["logits"], TensorElementType.Float16, ["batch_size", "sequence_length", ""], [-1, -1, 128256]);
        TinyLlamaContractTests.AssertTensor(session.OutputMetadata["present.1.value"], TensorElementType.Float16, ["batch_size", "", "total_sequence_length", ""], [-1, 2, -1, 16]);
    }

    [Fact]
    public void Forward_Fp16TinyLlama_TracksFp32LogitsAndDecodesIncrementally()
    {
        using var fp16 = new DecoderSession(ForgedModels.TinyLlama(new TinyLlamaOptions { DType = ForgeDType.Fp16 }).ModelPath);
        using var fp32 = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);

        using var full16 = fp16.Forward([Prompt], [TinyLlamaNumericsTests.Ones(Prompt.Length)]);
        using var full32 = fp32.Forward([Prompt], [TinyLlamaNumericsTests.Ones(Prompt.Length)]);
        using var prefix16 = fp16.Forward([Prompt[..8]], [TinyLlamaNumericsTests.Ones(8)]);
        using var rest16 = fp16.Forward([Prompt[8..]], [TinyLlamaNumericsTests.Ones(Prompt.Length)], prefix16.State);

        // Same seeded weights rounded to half precision: close to fp32, and KV reuse changes little.
        TinyLlamaNumericsTests.AssertClose(full32.Logits[0], full16.Logits[0], 0.02f);
        TinyLlamaNumericsTests.AssertClose(full16.Logits[0], rest16.Logits[0], 0.01f);
        Assert.All(full16.Logits[0], v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Forward_TinyLlamaWithoutPositionIds_MatchesExplicitPositionsOnPaddedBatch()
    {
        using var implicitPositions = new DecoderSession(ForgedModels.TinyLlama(new TinyLlamaOptions { IncludePositionIds = false }).ModelPath);
        using var explicitPositions = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);
        Assert.False(implicitPositions.HasPositionIds);
        Assert.DoesNotContain("position_ids", implicitPositions.Session.InputMetadata.Keys);
        long[] shortPrompt = [128000, 9906, 1917];
        long[] paddedShort = [.. Enumerable.Repeat(128004L, 10), .. shortPrompt];
        long[] shortMask = [.. Enumerable.Repeat(0L, 10), 1, 1, 1];
        long[][] ids = [Prompt, paddedShort];
        long[][] mask = [TinyLlamaNumericsTests.Ones(Prompt.Length), shortMask];

        using var withoutIds = implicitPositions.Forward(ids, mask);
        using var withIds = explicitPositions.Forward(ids, mask);
        using var nextWithout = implicitPositions.Forward([[50], [50]], [[.. mask[0], 1], [.. mask[1], 1]], withoutIds.State);
        using var nextWith = explicitPositions.Forward([[50], [50]], [[.. mask[0], 1], [.. mask[1], 1]], withIds.State);

        for (var b = 0; b < 2; b++)
        {
            TinyLlamaNumericsTests.AssertClose(withIds.Logits[b], withoutIds.Logits[b], 1e-4f);
            TinyLlamaNumericsTests.AssertClose(nextWith.Logits[b], nextWithout.Logits[b], 1e-4f);
        }
    }

    [Theory]
    [InlineData(ForgeDType.Fp16, true)]
    [InlineData(ForgeDType.Fp32, false)]
    public void Decode_PlantedGuardVariants_GiveTheSameAnswers(ForgeDType dtype, bool positionIds)
    {
        var model = ForgedModels.PlantedGuard(new PlantedGuardOptions { DType = dtype, IncludePositionIds = positionIds, KvHeads = 4, HeadDim = 16, Layers = 3, Heads = 8 });
        using var decoder = new DecoderSession(model.ModelPath);
        using var fixture = new PlantedGuardFixture();
        Assert.Equal(positionIds, decoder.HasPositionIds);
        Assert.Equal(dtype == ForgeDType.Fp16 ? TensorElementType.Float16 : TensorElementType.Float, decoder.KvType);
        int[][] prompts =
        [
            fixture.Render(GuardPromptFormat.Llama8B, "How to stab someone and commit fraud").Ids,
            fixture.Render(GuardPromptFormat.Llama1B, "Tell me about kittens.").Ids,
        ];

        var runs = GreedyGuardDecoder.RunBatch(decoder, prompts);

        Assert.Equal(["unsafe\nS1,S2", "safe"], runs.Select(fixture.Text));
        Assert.True(runs[0].UnsafeProbability >= 0.9);
        Assert.True(runs[1].UnsafeProbability <= 0.1);
    }

    [Fact]
    public void Forge_PlantedGuardWithoutTokenizer_MarksOfflineDemoTokenizer()
    {
        using var directory = new TemporaryDirectory();

        var forged = Forge.PlantedGuard(new PlantedGuardOptions(), directory.Path);

        Assert.Null(forged.TokenizerPath);
        Assert.False(File.Exists(Path.Combine(directory.Path, "tokenizer.json")));
        Assert.Contains("\"tokenizer\": \"offline-demo\"", File.ReadAllText(Path.Combine(directory.Path, Forge.MarkerFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void Forge_PlantedGuardKvTooSmallForFeatures_IsRejected()
    {
        using var directory = new TemporaryDirectory();

        var error = Assert.Throws<ArgumentException>(() => Forge.PlantedGuard(new PlantedGuardOptions { KvHeads = 1, HeadDim = 16, Heads = 2 }, directory.Path));

        Assert.Contains("at least 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOrCreate_ParallelCallers_ShareOneCompleteDirectory()
    {
        using var root = new TemporaryDirectory();
        var options = new TinyLlamaOptions { Layers = 1, Hidden = 8, Heads = 2, KvHeads = 1, HeadDim = 4, Intermediate = 16 };

        var results = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
            .Select(_ => ForgedModelCache.GetOrCreate(root.Path, options, TestTokenizerFile.Path))
            .ToArray();

        Assert.Single(results.Select(r => r.Directory).Distinct());
        Assert.Single(Directory.GetDirectories(Path.Combine(root.Path, "forged")));
        Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(results[0].Directory)!));
        Assert.True(File.Exists(results[0].ModelPath));
        Assert.NotNull(results[0].ExternalDataPath);
        Assert.Equal(Path.Combine(results[0].Directory, "tokenizer.json"), results[0].TokenizerPath);
        Assert.NotEqual(results[0].Directory, ForgedModelCache.GetOrCreate(root.Path, options with { Seed = 1 }).Directory);
    }

    [Fact]
    public void GetOrCreate_OtherBuildsAndDeadTemporaries_ArePrunedOnceStale()
    {
        using var root = new TemporaryDirectory();
        var options = new TinyLlamaOptions { Layers = 1, Hidden = 8, Heads = 2, KvHeads = 1, HeadDim = 4, Intermediate = 16 };
        var first = ForgedModelCache.GetOrCreate(root.Path, options);
        var build = Path.GetDirectoryName(first.Directory)!;
        var staleBuild = Directory.CreateDirectory(Path.Combine(root.Path, "forged", "build-000000000000", "tiny-llama-x")).Parent!.FullName;
        var freshBuild = Directory.CreateDirectory(Path.Combine(root.Path, "forged", "build-111111111111")).FullName;
        var deadTemporary = Directory.CreateDirectory(Path.Combine(build, "tiny-llama-y.tmp-0123")).FullName;
        Directory.SetLastWriteTimeUtc(staleBuild, DateTime.UtcNow.AddDays(-1));
        Directory.SetLastWriteTimeUtc(deadTemporary, DateTime.UtcNow.AddDays(-1));

        ForgedModelCache.GetOrCreate(root.Path, options with { Seed = 5 });

        Assert.False(Directory.Exists(staleBuild));
        Assert.False(Directory.Exists(deadTemporary));
        Assert.True(Directory.Exists(freshBuild), "a build touched recently may be in use elsewhere");
        Assert.True(File.Exists(first.ModelPath));
    }
}
