using System.Text;
using System.Text.RegularExpressions;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.KServe;

/// <summary>
/// Renders a chat request as Llama 3 prompt text for a text-tensor model. The header and end-of-turn markers are
/// written as text; the server's tokenizer turns them into special tokens. That same tokenizer would do so for marker
/// text inside message content too (special-token injection), so such content is refused rather than forwarded.
/// </summary>
internal static partial class Llama3PromptTemplate
{
    public static Result<string> Render(ChatCompletionRequest request, bool prependBeginOfText)
    {
        var builder = new StringBuilder();
        if (prependBeginOfText)
        {
            builder.Append("<|begin_of_text|>");
        }

        foreach (var message in request.Messages)
        {
            if (message.ToolCalls.Count > 0)
            {
                return GuardError.Invalid("Tool calls are not supported by KServe text backends.");
            }

            var text = "";
            if (message.Content is { } content)
            {
                if (content.Parts is not null && content.Parts.Any(p => p.Text is null))
                {
                    return GuardError.Invalid("Only text content is supported by KServe text backends.");
                }

                text = content.GetAllText();
            }

            if (ContainsSpecialToken(text))
            {
                return GuardError.Invalid("Message content contains Llama 3 special-token text, which a text-tensor backend would treat as control tokens.");
            }

            var header = message.Role switch
            {
                ChatMessageRole.System or ChatMessageRole.Developer => "system",
                ChatMessageRole.User => "user",
                ChatMessageRole.Assistant => "assistant",
                _ => "ipython",
            };
            builder.Append("<|start_header_id|>").Append(header).Append("<|end_header_id|>\n\n").Append(text).Append("<|eot_id|>");
        }

        builder.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
        return builder.ToString();
    }

    /// <summary>Whether text holds the literal of a Llama 3 special token.</summary>
    public static bool ContainsSpecialToken(string text) => SpecialToken().IsMatch(text);

    [GeneratedRegex(@"<\|(?:begin_of_text|end_of_text|start_header_id|end_header_id|eot_id|eom_id|python_tag|finetune_right_pad_id|reserved_special_token_\d+)\|>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SpecialToken();
}
