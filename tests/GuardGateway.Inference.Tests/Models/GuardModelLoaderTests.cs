using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Prompts;
using GuardGateway.Inference.Tests.Engine;

namespace GuardGateway.Inference.Tests.Models;

public sealed class GuardModelLoaderTests
{
    [Fact]
    public void Load_ForgedTinyLlama_ReadsConfigTokenizerGraphAndMarker()
    {
        var model = GuardModelLoader.Load(TestModels.TinyLlama).GetValueOrThrow();

        Assert.Equal(2, model.Config.NumHiddenLayers);
        Assert.Equal(128256, model.Config.VocabSize);
        Assert.Equal("model.onnx", Path.GetFileName(model.GraphPath));
        Assert.False(model.Tokenizer.IsPartialVocabulary);
        Assert.True(model.Info.IsDemo);
        Assert.Equal("tiny-llama (demo)", model.Info.Name);
        Assert.Equal(["llama-guard-3-8b", "llama-guard-3-1b"], model.Info.SupportedFormats);
    }

    [Fact]
    public void Load_MissingDirectory_ModelInvalid()
    {
        var result = GuardModelLoader.Load("/nonexistent/model/dir");
        AssertModelInvalid(result, "does not exist");
    }

    [Fact]
    public void Load_MissingConfig_ModelInvalidNamingConfigJson()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama, "config.json");
        AssertModelInvalid(GuardModelLoader.Load(copy.Path), "config.json is missing");
    }

    [Fact]
    public void Load_ConfigWithoutLayers_ModelInvalidNamingTheField()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama);
        copy.Rewrite("config.json", text => text.Replace("\"num_hidden_layers\"", "\"layers\"", StringComparison.Ordinal));
        AssertModelInvalid(GuardModelLoader.Load(copy.Path), "num_hidden_layers");
    }

    [Fact]
    public void Load_MissingGraph_ModelInvalidListingThePreferenceOrder()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama, "model.onnx");
        AssertModelInvalid(GuardModelLoader.Load(copy.Path), "No ONNX graph");
    }

    [Fact]
    public void Load_ExplicitGraphFileMissing_ModelInvalid()
    {
        AssertModelInvalid(GuardModelLoader.Load(TestModels.TinyLlama, "onnx/model_q4.onnx"), "does not exist");
    }

    [Fact]
    public void Load_VocabularyMismatch_ModelInvalid()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama);
        copy.Rewrite("config.json", text => text.Replace("128256", "32000", StringComparison.Ordinal));
        AssertModelInvalid(GuardModelLoader.Load(copy.Path), "Vocabulary mismatch");
    }

    [Fact]
    public void Load_NoTokenizerWithoutDemoMarker_ModelInvalid()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama, "tokenizer.json", GuardModelMarker.FileName);
        AssertModelInvalid(GuardModelLoader.Load(copy.Path), "No tokenizer");
    }

    [Fact]
    public void Load_NoTokenizerWithDemoMarker_UsesTheOfflineDemoTokenizer()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama, "tokenizer.json");
        var model = GuardModelLoader.Load(copy.Path).GetValueOrThrow();
        Assert.True(model.Tokenizer.IsPartialVocabulary);
        Assert.True(model.Info.IsDemo);
    }

    [Fact]
    public void Resolve_OnnxCommunityLayout_PrefersFp16OverQ4()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama, "model.onnx");
        Directory.CreateDirectory(Path.Combine(copy.Path, "onnx"));
        copy.Write("onnx/model_q4.onnx", "x");
        copy.Write("onnx/model_fp16.onnx", "x");
        var graph = GraphFileResolver.Resolve(copy.Path, null).GetValueOrThrow();
        Assert.Equal(Path.Combine(copy.Path, "onnx", "model_fp16.onnx"), graph);
    }

    [Fact]
    public void ChooseFormats_ByShape_1BAnd8B()
    {
        LlamaModelConfig Shape(int layers, int hidden) => new("llama", layers, hidden, 32, 8, hidden / 32, 128256, [], null);
        Assert.Equal([GuardPromptFormat.Llama1B.Id], GuardModelLoader.ChooseFormats(Shape(16, 2048), null));
        Assert.Equal([GuardPromptFormat.Llama8B.Id], GuardModelLoader.ChooseFormats(Shape(32, 4096), null));
        Assert.Equal(2, GuardModelLoader.ChooseFormats(Shape(2, 64), null).Count);
    }

    [Fact]
    public async Task Create_SharedBufferGenAiLayout_ModelInvalidNotSupportedYet()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama);
        copy.Write("genai_config.json", """{"search": {"past_present_share_buffer": true, "max_length": 2048}}""");
        var result = OnnxGuardClassifier.Create(TestModels.Options(copy.Path));
        if (result.IsSuccess)
        {
            await result.Value.DisposeAsync();
        }

        AssertModelInvalid(result, "shared past/present KV buffer");
    }

    [Fact]
    public async Task Create_ConfigLayerCountDisagreesWithGraph_ModelInvalid()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama);
        copy.Rewrite("config.json", text => text.Replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", StringComparison.Ordinal));
        var result = OnnxGuardClassifier.Create(TestModels.Options(copy.Path));
        if (result.IsSuccess)
        {
            await result.Value.DisposeAsync();
        }

        AssertModelInvalid(result, "num_hidden_layers = 3");
    }

    [Fact]
    public async Task Create_CorruptGraph_ModelInvalid()
    {
        using var copy = new ModelDirectoryCopy(TestModels.TinyLlama, "model.onnx");
        copy.Write("model.onnx", "not an onnx model");
        var result = OnnxGuardClassifier.Create(TestModels.Options(copy.Path));
        if (result.IsSuccess)
        {
            await result.Value.DisposeAsync();
        }

        AssertModelInvalid(result, "ONNX Runtime cannot load");
    }

    private static void AssertModelInvalid<T>(Result<T> result, string expected)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.ModelInvalid, result.Error.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }
}
