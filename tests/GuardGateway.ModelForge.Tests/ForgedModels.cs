using GuardGateway.TestUtilities;

namespace GuardGateway.ModelForge.Tests;

/// <summary>Forged models shared by the tests, cached in the repository's git-ignored fixture cache.</summary>
internal static class ForgedModels
{
    private static readonly Lazy<ForgedModel> TinyFp32 = new(() => TinyLlama(new TinyLlamaOptions()));

    /// <summary>The default tiny Llama (fp32, 2 layers, GQA 4/2), without a tokenizer.</summary>
    public static ForgedModel DefaultTinyLlama => TinyFp32.Value;

    public static ForgedModel TinyLlama(TinyLlamaOptions options, string? tokenizer = null) =>
        ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, options, tokenizer);
}
