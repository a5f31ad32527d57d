using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.ModelForge.Tests;

public sealed class TinyLlamaContractTests
{
    [Fact]
    public void Forge_DefaultOptions_WritesCompleteDirectoryWithExternalData()
    {
        var model = ForgedModels.DefaultTinyLlama;

        Assert.True(File.Exists(model.ModelPath));
        Assert.NotNull(model.ExternalDataPath);
        Assert.True(new FileInfo(model.ExternalDataPath!).Length >= 2L * 128256 * 64 * 4, "both vocabulary tables live in external data");
        Assert.True(new FileInfo(model.ModelPath).Length < 1 << 20, "model.onnx keeps only the small tensors");
        Assert.True(File.Exists(Path.Combine(model.Directory, "config.json")));
        Assert.True(File.Exists(Path.Combine(model.Directory, Forge.MarkerFileName)));
        Assert.Null(model.TokenizerPath);
    }

    [Fact]
    public void Session_DefaultTinyLlama_DeclaresOnnxCommunityInputs()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);
        var inputs = decoder.Session.InputMetadata;

        Assert.Equal(
            ["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"],
            inputs.Keys.ToArray());
        AssertTensor(inputs["input_ids"], TensorElementType.Int64, ["batch_size", "sequence_length"], [-1, -1]);
        AssertTensor(inputs["attention_mask"], TensorElementType.Int64, ["batch_size", "total_sequence_length"], [-1, -1]);
        AssertTensor(inputs["position_ids"], TensorElementType.Int64, ["batch_size", "sequence_length"], [-1, -1]);
        AssertTensor(inputs["past_key_values.1.value"], TensorElementType.Float, ["batch_size", "", "past_sequence_length", ""], [-1, 2, -1, 16]);
    }

    [Fact]
    public void Session_DefaultTinyLlama_DeclaresOnnxCommunityOutputs()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);
        var outputs = decoder.Session.OutputMetadata;

        Assert.Equal(
            ["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"],
            outputs.Keys.ToArray());
        AssertTensor(outputs["logits"], TensorElementType.Float, ["batch_size", "sequence_length", ""], [-1, -1, 128256]);
        AssertTensor(outputs["present.0.key"], TensorElementType.Float, ["batch_size", "", "total_sequence_length", ""], [-1, 2, -1, 16]);
    }

    [Fact]
    public void Run_Prefill_ReturnsFiniteLogitsAndGrowsPresentBySequence()
    {
        using var decoder = new DecoderSession(ForgedModels.DefaultTinyLlama.ModelPath);

        using var state = decoder.Forward([[128000, 2028, 374, 264, 1296]], [[1, 1, 1, 1, 1]]).State;

        Assert.Equal([1L, 2, 5, 16], state.Shape(0, "key"));
        Assert.Equal([1L, 2, 5, 16], state.Shape(1, "value"));
    }

    [Fact]
    public void Forge_SameOptionsTwice_WritesIdenticalFiles()
    {
        var options = new TinyLlamaOptions { Layers = 1, Hidden = 8, Heads = 2, KvHeads = 1, HeadDim = 4, Intermediate = 16, Seed = 7 };
        using var first = new TemporaryDirectory();
        using var second = new TemporaryDirectory();
        using var otherSeed = new TemporaryDirectory();

        Forge.TinyLlama(options, first.Path);
        Forge.TinyLlama(options, second.Path);
        Forge.TinyLlama(options with { Seed = 8 }, otherSeed.Path);

        Assert.Equal(Hash(first.Path, "model.onnx_data"), Hash(second.Path, "model.onnx_data"));
        Assert.Equal(Hash(first.Path, "model.onnx"), Hash(second.Path, "model.onnx"));
        Assert.NotEqual(Hash(first.Path, "model.onnx_data"), Hash(otherSeed.Path, "model.onnx_data"));
    }

    [Fact]
    public void Forge_InvalidOptions_ThrowsListingEveryProblem()
    {
        using var directory = new TemporaryDirectory();
        var options = new TinyLlamaOptions { Heads = 3, KvHeads = 2, HeadDim = 5 };

        var error = Assert.Throws<ArgumentException>(() => Forge.TinyLlama(options, directory.Path));

        Assert.Contains("multiple of kv-heads", error.Message, StringComparison.Ordinal);
        Assert.Contains("must be even", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertTensor(NodeMetadata metadata, TensorElementType type, string[] symbols, int[] dims)
    {
        Assert.True(metadata.IsTensor);
        Assert.Equal(type, metadata.ElementDataType);
        Assert.Equal(symbols, metadata.SymbolicDimensions);
        Assert.Equal(dims, metadata.Dimensions);
    }

    private static string Hash(string directory, string file) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, file))));
}
