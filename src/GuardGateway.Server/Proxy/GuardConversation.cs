using System.Text;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// Projects an OpenAI-style conversation onto the two roles Llama Guard 3 knows. Every text-bearing field counts:
/// <list type="bullet">
/// <item><c>system</c> and <c>developer</c> messages map to <c>User</c>: they are instructions from the client side,
/// input the model acts on, so the guard judges them as input.</item>
/// <item><c>tool</c> messages map to <c>User</c>: tool results are outside content fed to the model, not the model's
/// own words.</item>
/// <item><c>assistant</c> messages map to <c>Agent</c>, with their tool calls rendered as <c>name(arguments)</c> lines.</item>
/// <item>String content and every text part of array content are included; consecutive messages with the same
/// guard role are joined with a blank line, so the result alternates User/Agent starting with User (an empty User
/// turn is put first when the conversation starts with an assistant message).</item>
/// </list>
/// </summary>
internal static class GuardConversation
{
    /// <summary>The guard conversation of a chat request.</summary>
    public static IReadOnlyList<ChatMessage> Project(IReadOnlyList<ChatRequestMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var result = new List<ChatMessage>();
        foreach (var message in messages)
        {
            var role = message.Role == ChatMessageRole.Assistant ? ChatRole.Assistant : ChatRole.User;
            var text = TextOf(message.Content, message.ToolCalls);
            Append(result, role, text);
        }

        if (result.Count == 0 || result[0].Role != ChatRole.User)
        {
            result.Insert(0, new ChatMessage(ChatRole.User, string.Empty));
        }

        return result;
    }

    /// <summary>A single-prompt conversation (legacy completions, moderations).</summary>
    public static IReadOnlyList<ChatMessage> FromPrompt(string prompt) => [new ChatMessage(ChatRole.User, prompt)];

    /// <summary>The conversation with an answer as the assessed <c>Agent</c> turn (merged into a trailing assistant prefill).</summary>
    public static IReadOnlyList<ChatMessage> WithAnswer(IReadOnlyList<ChatMessage> conversation, string answer)
    {
        var result = new List<ChatMessage>(conversation);
        Append(result, ChatRole.Assistant, answer);
        return result;
    }

    /// <summary>The moderated text of a message: content (string or text parts) and tool calls.</summary>
    public static string TextOf(ChatContent? content, IReadOnlyList<ChatToolCall> toolCalls)
    {
        var text = content?.GetAllText() ?? string.Empty;
        if (toolCalls.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text);
        foreach (var call in toolCalls)
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(call.FunctionName).Append('(').Append(call.Arguments).Append(')');
        }

        return builder.ToString();
    }

    /// <summary>The moderated text of an answer: its content and tool calls.</summary>
    public static string TextOf(string? content, IReadOnlyList<ChatToolCall> toolCalls) =>
        TextOf(content is null ? null : ChatContent.FromText(content), toolCalls);

    private static void Append(List<ChatMessage> result, ChatRole role, string text)
    {
        if (result.Count > 0 && result[^1].Role == role)
        {
            var previous = result[^1].Content;
            result[^1] = new ChatMessage(role, previous.Length == 0 ? text : text.Length == 0 ? previous : previous + "\n\n" + text);
        }
        else
        {
            result.Add(new ChatMessage(role, text));
        }
    }
}
