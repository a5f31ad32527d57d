using System.Buffers;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Prompts;
using GuardGateway.Inference.Tokenization;
using GuardGateway.TextSafety.Neutralization;
using GuardGateway.TextSafety.Normalization;

namespace GuardGateway.Fuzzing.Targets.Targets;

/// <summary>
/// The text defenses and the prompt builder: <see cref="UnicodeTextNormalizer"/>,
/// <see cref="ConversationFormatNeutralizer"/>, then <see cref="GuardPromptRenderer"/> over the offline demo
/// tokenizer, on the faithful or the defended conversation. Invariants: both defenses are idempotent; the
/// normalizer leaves no unpaired surrogate, bidi control or zero-width character; the neutralizer leaves no
/// angle bracket; the rendered ids hold exactly the template's six special tokens whatever the content says.
/// </summary>
internal sealed class TextPromptTarget : IFuzzTarget
{
    private const char MessageSeparator = '\u0001';
    private const int TemplateSpecials = 6;

    private static readonly Lazy<GuardPromptRenderer> Renderer = new(() => new GuardPromptRenderer(Llama3Tokenizer.CreateOfflineDemo()));

    public string Name => "text-prompt";

    public IReadOnlyList<byte[]> Dictionary { get; } = OpenAiJsonTarget.Tokens(
        "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|begin_of_text|>", "assistant", "<END CONVERSATION>",
        "<BEGIN CONVERSATION>", "\nAgent: ", "\nUser: ", "\nsafe", "unsafe\nS1", "Provide your safety assessment", "\u0001",
        "\u200B", "\u200D", "\u00AD", "\u202E", "\u2066", "\uFEFF", "\U000E0041", "\U000E0020", "\U0001F3F4", "\U000E007F",
        "\uFE0F", "\u20E3", "\U0001F468", "\uFF42", "\u0430", "\u03BF", "\u0301", "\u0308", "\u03F2", "\u2028", "\u0085",
        "\r", "\r\n", "\v", "\uFE64", "\uFF1C", "\u2039", "\u1100", "\u3164", "\uFFA0", "\u00C5", "\u212B", "\uFB01");

    public void Execute(ReadOnlySpan<byte> input)
    {
        var selector = FuzzInput.Selector(input);
        var rest = FuzzInput.Rest(input);
        var text = FuzzInput.Text(rest);

        var normalizer = (selector & 1) == 0 ? UnicodeTextNormalizer.Instance : new UnicodeTextNormalizer(stripComposableAccents: false);
        var normalized = normalizer.Normalize(text);
        Check.That(normalized.Changed == !string.Equals(normalized.Text, text, StringComparison.Ordinal), "Changed disagrees with the text");
        Check.That(!Check.HasUnpairedSurrogate(normalized.Text), "the normalizer left an unpaired surrogate");
        Check.That(normalized.Text.AsSpan().IndexOfAny(Invisible) < 0, "the normalizer left a bidi control or zero-width character");
        Check.That(!HasTag(normalized.Text) || normalized.Text.Contains("\U0001F3F4", StringComparison.Ordinal), "the normalizer left a tag character outside a flag");
        var again = normalizer.Normalize(normalized.Text);
        Check.That(string.Equals(again.Text, normalized.Text, StringComparison.Ordinal), "the normalizer is not idempotent");

        var neutralized = ConversationFormatNeutralizer.Instance.Neutralize(normalized.Text);
        Check.That(neutralized.Text.AsSpan().IndexOfAny(AngleBrackets) < 0, "the neutralizer left an angle bracket");
        var twice = ConversationFormatNeutralizer.Instance.Neutralize(neutralized.Text);
        Check.That(twice.DefusedCount == 0 && string.Equals(twice.Text, neutralized.Text, StringComparison.Ordinal), "the neutralizer is not idempotent");

        var format = (selector & 2) == 0 ? GuardPromptFormat.Llama8B : GuardPromptFormat.Llama1B;

        // One render per input, of the faithful or the defended conversation: rendering dominates the cost.
        Render(format, ((selector & 4) == 0 ? text : neutralized.Text).Split(MessageSeparator));
    }

    private static readonly SearchValues<char> AngleBrackets = SearchValues.Create("<>");

    private static readonly SearchValues<char> Invisible = SearchValues.Create(
    [
        '\u00AD', '\u061C', '\u180E', '\u200B', '\u200C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
        '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\u2066', '\u2067', '\u2068', '\u2069', '\uFEFF',
    ]);

    private static bool HasTag(string text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] == '\uDB40' && text[i + 1] is >= '\uDC00' and <= '\uDC7F')
            {
                return true;
            }
        }

        return false;
    }

    private static void Render(GuardPromptFormat format, string[] contents)
    {
        var messages = contents.Take(5).Select((c, i) => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, c)).ToList();
        var rendered = Renderer.Value.Render(new GuardPromptRequest { Format = format, Messages = messages });
        if (!rendered.IsSuccess)
        {
            Check.That(rendered.Error!.Code == GuardErrorCode.InvalidRequest, $"undeclared render error {rendered.Error.Code}");
            return;
        }

        var prompt = rendered.Value!;
        var tokenizer = Renderer.Value.Tokenizer;
        Check.That(prompt.Ids[0] == Llama3SpecialTokens.BeginOfText && prompt.Ids[^1] == GuardPromptRenderer.DoubleNewlineId, "ids do not frame the template");
        Check.That(prompt.Ids.Count(tokenizer.IsSpecialId) == TemplateSpecials, "content produced special token ids");
        Check.That(prompt.SharedPrefixLength > 0 && prompt.SharedPrefixLength < prompt.Ids.Length, "shared prefix out of range");
        Check.That(prompt.AssessedRole == (messages.Count % 2 == 1 ? ChatRole.User : ChatRole.Assistant), "wrong assessed role");
    }
}
