namespace GuardGateway.Core.Backends;

/// <summary>
/// A legacy <c>/v1/completions</c> prompt: text prompts or token-id prompts (which the gateway must decode to
/// moderate them). Exactly one of <see cref="Texts"/> and <see cref="TokenIds"/> is non-empty.
/// </summary>
public sealed record CompletionPrompt
{
    private CompletionPrompt(CompletionPromptShape shape, IReadOnlyList<string> texts, IReadOnlyList<IReadOnlyList<int>> tokenIds)
    {
        Shape = shape;
        Texts = texts;
        TokenIds = tokenIds;
    }

    /// <summary>The JSON shape it arrived in.</summary>
    public CompletionPromptShape Shape { get; }

    /// <summary>The text prompts (one for <see cref="CompletionPromptShape.SingleText"/>).</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>The token-id prompts (one for <see cref="CompletionPromptShape.SingleTokenIds"/>).</summary>
    public IReadOnlyList<IReadOnlyList<int>> TokenIds { get; }

    /// <summary>A single string prompt.</summary>
    public static CompletionPrompt FromText(string text) =>
        new(CompletionPromptShape.SingleText, [text ?? throw new ArgumentNullException(nameof(text))], []);

    /// <summary>A batch of string prompts.</summary>
    public static CompletionPrompt FromTexts(IReadOnlyList<string> texts) =>
        new(CompletionPromptShape.TextArray, texts ?? throw new ArgumentNullException(nameof(texts)), []);

    /// <summary>A single token-id prompt.</summary>
    public static CompletionPrompt FromTokenIds(IReadOnlyList<int> ids) =>
        new(CompletionPromptShape.SingleTokenIds, [], [ids ?? throw new ArgumentNullException(nameof(ids))]);

    /// <summary>A batch of token-id prompts.</summary>
    public static CompletionPrompt FromTokenIdArrays(IReadOnlyList<IReadOnlyList<int>> ids) =>
        new(CompletionPromptShape.TokenIdArrays, [], ids ?? throw new ArgumentNullException(nameof(ids)));
}
