using GuardGateway.TestUtilities;

namespace GuardGateway.ModelForge.Tests;

/// <summary>Forged models shared by the tests, cached in the repository's git-ignored fixture cache.</summary>
internal static class ForgedModels
{
    private static readonly Lazy<ForgedModel> TinyFp32 = new(() => TinyLlama(new TinyLlamaOptions()));

    /// <summary>The default tiny Llama (fp32, 2 layers, GQA 4/2), without a tokenizer.</summary>
    public static ForgedModel DefaultTinyLlama => TinyFp32.Value;

    private static readonly Lazy<ForgedModel> PlantedFp32 = new(() => PlantedGuard(new PlantedGuardOptions(), TestTokenizerFile.Path));

    /// <summary>The default planted guard (fp32) with the real test tokenizer copied in.</summary>
    public static ForgedModel DefaultPlantedGuard => PlantedFp32.Value;

    public static ForgedModel PlantedGuard(PlantedGuardOptions options, string? tokenizer = null) =>
        ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, options, tokenizer);

    public static ForgedModel TinyLlama(TinyLlamaOptions options, string? tokenizer = null) =>
        ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, options, tokenizer);
}
