using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using GuardGateway.Inference.Tests.Engine;

namespace GuardGateway.Inference.Tests.Models;

/// <summary>RELIABILITY.md T25: a tampered, missing or unpinned model file never loads.</summary>
public sealed class ModelPinningTests
{
    private static readonly string[] LoadedFiles = ["config.json", "guardgateway_model.json", "model.onnx", "model.onnx_data", "tokenizer.json"];

    [Fact]
    public void Load_CorrectPinsForEveryLoadedFile_Loads()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = PinAll(copy, required: true);

        var model = GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None).GetValueOrThrow();

        Assert.Equal(copy.File("model.onnx"), model.GraphPath);
        Assert.False(model.Tokenizer.IsPartialVocabulary);
    }

    [Fact]
    public void Load_OneByteFlippedInGraphExternalDataOrTokenizer_EveryTamperRefused()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = PinAll(copy, required: false);
        var tampers = new List<(string File, long Offset)>();
        foreach (var file in new[] { "model.onnx", "model.onnx_data", "tokenizer.json" })
        {
            var length = new FileInfo(copy.File(file)).Length;
            tampers.AddRange([(file, 0), (file, length / 2), (file, length - 1)]);
        }

        var refused = 0;
        foreach (var (file, offset) in tampers)
        {
            var restore = copy.Flip(file, offset);
            var result = GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None);
            restore();
            if (!result.IsSuccess && result.Error.Code == GuardErrorCode.ModelInvalid
                && result.Error.Message.Contains($"'{file}' does not match", StringComparison.Ordinal)
                && result.Error.Message.Contains("expected " + copy.Digest(file)[..12], StringComparison.Ordinal))
            {
                refused++;
            }
        }

        Assert.Equal(tampers.Count, refused);
        Assert.True(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None).IsSuccess, "restored files load again");
    }

    [Fact]
    public async Task Create_TamperedExternalDataWithPins_ModelInvalidBeforeAnySession()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var options = TestModels.Options(copy.Path);
        foreach (var file in LoadedFiles)
        {
            options.Sha256Pins.Add($"{file}={copy.Digest(file)}");
        }

        // A flipped weight is still a valid tensor: ONNX Runtime would load it happily. Only the pin refuses.
        copy.Flip("model.onnx_data", 12345);
        var result = OnnxGuardClassifier.Create(options);
        if (result.IsSuccess)
        {
            await result.Value.DisposeAsync();
        }

        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.ModelInvalid, result.Error.Code);
        Assert.Contains("'model.onnx_data' does not match its SHA-256", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_CorrectPinsInOptions_ServesTheModel()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var options = TestModels.Options(copy.Path);
        options.RequirePins = true;
        foreach (var file in LoadedFiles)
        {
            options.Sha256[file] = copy.Digest(file).ToUpperInvariant();
        }

        var result = OnnxGuardClassifier.Create(options);
        Assert.True(result.IsSuccess, result.IsSuccess ? null : result.Error.Message);
        await result.Value.DisposeAsync();
    }

    [Fact]
    public void Load_PinnedFileMissing_ModelInvalidNamingIt()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = Pins(copy, required: false, "model.onnx", "tokenizer.json");
        var options = Options(copy, required: false, "model.onnx", "tokenizer.json");
        options.Sha256["onnx/extra.bin"] = new string('a', 64);

        var result = GuardModelLoader.Load(copy.Path, null, ModelPins.From(options).GetValueOrThrow(), CancellationToken.None);

        Assert.True(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None).IsSuccess);
        AssertRefused(result, "Pinned file 'onnx/extra.bin' is missing");
    }

    [Fact]
    public void Load_PinnedExternalDataDeleted_Refused()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = PinAll(copy, required: false);
        File.Delete(copy.File("model.onnx_data"));

        AssertRefused(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None), "Pinned file 'model.onnx_data' is missing");
    }

    [Fact]
    public void Load_RequirePinsWithoutAnyPin_Refused()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = Pins(copy, required: true);

        AssertRefused(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None), "model.onnx, tokenizer.json are not pinned");
    }

    [Fact]
    public void Load_RequirePinsWithoutTokenizerPin_Refused()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = Pins(copy, required: true, "model.onnx", "model.onnx_data");

        AssertRefused(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None), "tokenizer.json is not pinned");
    }

    [Fact]
    public void Load_RequirePinsWithoutExternalDataPin_RefusedNamingTheDataFile()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = Pins(copy, required: true, "model.onnx", "tokenizer.json");

        AssertRefused(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None), "external data model.onnx_data of model.onnx is not pinned");
    }

    [Fact]
    public void Load_RequirePinsGraphTokenizerAndDataOnly_Loads()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = Pins(copy, required: true, "model.onnx", "model.onnx_data", "tokenizer.json");

        Assert.True(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None).IsSuccess);
    }

    [Fact]
    public void Load_RequirePinsTiktokenModelWithoutItsConfigPinned_RefusedNamingTokenizerConfig()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        File.Delete(copy.File("tokenizer.json"));
        // Never parsed: the refusal comes first. tokenizer_config.json names the specials of a tokenizer.model.
        File.WriteAllText(copy.File("tokenizer.model"), "not parsed");
        var pins = Pins(copy, required: true, "model.onnx", "model.onnx_data", "tokenizer.model");

        AssertRefused(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None), "tokenizer_config.json is not pinned");
    }

    [Fact]
    public void Load_PinsSetButTamperedConfig_RefusedBeforeConfigIsParsed()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = Pins(copy, required: false, "config.json");
        // Unpinned, this edit would be reported as a vocabulary mismatch; pinned, the digest refuses first.
        File.WriteAllText(copy.File("config.json"), File.ReadAllText(copy.File("config.json")).Replace("128256", "32000", StringComparison.Ordinal));

        AssertRefused(GuardModelLoader.Load(copy.Path, null, pins, CancellationToken.None), "'config.json' does not match");
    }

    [Fact]
    public void Load_CancelledWhileHashing_Cancelled()
    {
        using var copy = new PinnedModelCopy(TestModels.TinyLlama);
        var pins = PinAll(copy, required: false);

        var result = GuardModelLoader.Load(copy.Path, null, pins, new CancellationToken(canceled: true));

        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.Cancelled, result.Error.Code);
    }

    [Fact]
    public void LoadedFiles_TinyLlama_ListsConfigMarkerTokenizerGraphAndExternalData()
    {
        var files = ModelPinning.LoadedFiles(TestModels.TinyLlama, null, CancellationToken.None).GetValueOrThrow();

        Assert.Equal(LoadedFiles, files);
    }

    private static ModelPins PinAll(PinnedModelCopy copy, bool required) => Pins(copy, required, LoadedFiles);

    private static ModelPins Pins(PinnedModelCopy copy, bool required, params string[] files) =>
        ModelPins.From(Options(copy, required, files)).GetValueOrThrow();

    private static GuardInferenceOptions Options(PinnedModelCopy copy, bool required, params string[] files)
    {
        var options = new GuardInferenceOptions { ModelDirectory = copy.Path, RequirePins = required };
        foreach (var file in files)
        {
            options.Sha256[file] = copy.Digest(file);
        }

        return options;
    }

    private static void AssertRefused<T>(Result<T> result, string expected)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.ModelInvalid, result.Error.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
    }
}
