using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using GuardGateway.ModelForge;
using GuardGateway.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>Forged models (cached under .cache/fixtures) and sessions over them.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> TinyValue = new(() => Tiny(new TinyLlamaOptions()));

    /// <summary>The default tiny Llama (fp32, 2 layers, GQA) with the real tokenizer.</summary>
    public static string TinyLlama => TinyValue.Value;

    private static readonly Lazy<string> PlantedValue = new(() =>
        ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, new PlantedGuardOptions(), TestTokenizerFile.Path).Directory);

    /// <summary>The planted guard (fp32) with the real tokenizer.</summary>
    public static string PlantedGuard => PlantedValue.Value;

    /// <summary>A planted guard without a tokenizer (the offline demo tokenizer is meant).</summary>
    public static string PlantedGuardWithoutTokenizer(PlantedGuardOptions? options = null) =>
        ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, options ?? new PlantedGuardOptions(), null).Directory;

    public static string Tiny(TinyLlamaOptions options) =>
        ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, options, TestTokenizerFile.Path).Directory;

    public static GuardInferenceOptions Options(string directory) => new()
    {
        ModelDirectory = directory,
        IntraOpThreads = 1,
        BatchWindow = TimeSpan.FromMilliseconds(20),
    };

    public static DecoderSession OpenDecoder(string directory, bool lastPositionOnly = true)
    {
        var model = GuardModelLoader.Load(directory).GetValueOrThrow();
        var options = Options(directory);
        options.LastPositionLogitsOnly = lastPositionOnly;
        return OrtSessionFactory.Create(model, options, NullLogger.Instance).GetValueOrThrow();
    }
}
