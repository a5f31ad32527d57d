using GuardGateway.Core.Conversations;
using GuardGateway.Inference.Prompts;
using GuardGateway.Inference.Tokenization;
using GuardGateway.TestUtilities;

namespace GuardGateway.ModelForge.Tests;

/// <summary>One planted guard session and the real tokenizer, shared by a test class.</summary>
public sealed class PlantedGuardFixture : IDisposable
{
    // Loading the 9 MB tokenizer.json is the slow part; every fixture shares one.
    private static readonly Lazy<Llama3Tokenizer> RealTokenizer = new(() => Llama3Tokenizer.FromFile(TestTokenizerFile.Path));

    public PlantedGuardFixture()
    {
        Model = ForgedModels.DefaultPlantedGuard;
        Decoder = new DecoderSession(Model.ModelPath);
        Tokenizer = RealTokenizer.Value;
        Renderer = new GuardPromptRenderer(Tokenizer);
    }

    internal ForgedModel Model { get; }

    internal DecoderSession Decoder { get; }

    internal Llama3Tokenizer Tokenizer { get; }

    internal GuardPromptRenderer Renderer { get; }

    internal RenderedGuardPrompt Render(GuardPromptFormat format, params string[] messages) =>
        Render(format, [], messages);

    internal RenderedGuardPrompt Render(GuardPromptFormat format, IReadOnlyList<string> excluded, params string[] messages)
    {
        var conversation = messages.Select((m, i) => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, m)).ToList();
        return Renderer.Render(new GuardPromptRequest { Format = format, Messages = conversation, ExcludedCategoryKeys = excluded }).GetValueOrThrow();
    }

    /// <summary>The generated text without the stop token.</summary>
    internal string Text(GuardRun run) => Tokenizer.Decode(run.Generated.Where(id => id < 128000));

    public void Dispose() => Decoder.Dispose();
}
