using System.Text.Json;
using GuardGateway.Core.Backends;

namespace GuardGateway.Backends.OpenAi;

/// <summary>Requests: JSON to domain. Known fields are read with last-wins semantics on duplicates.</summary>
public static partial class OpenAiWireFormat
{
    private static ChatCompletionRequest ParseRequest(JsonElement root, ChatEndpoint endpoint, out bool stream)
    {
        RequireObject(root, "request");
        stream = false;
        string? model = null;
        List<ChatRequestMessage>? messages = null;
        CompletionPrompt? prompt = null;
        int? n = null, maxTokens = null;
        double? temperature = null, topP = null;
        var includeUsage = false;
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "model": model = RequireString(value, "model"); break;
                // The other route's text field is refused, never passed through unmoderated.
                case "messages":
                    messages = endpoint == ChatEndpoint.ChatCompletions ? ParseMessages(value) : throw new WireFormatException("'messages' is not allowed on /v1/completions.");
                    break;
                case "prompt":
                    prompt = endpoint == ChatEndpoint.Completions ? ParsePrompt(value) : throw new WireFormatException("'prompt' is not allowed on /v1/chat/completions.");
                    break;
                case "n": n = OptionalInt(value, "n"); break;
                case "max_tokens": maxTokens = OptionalInt(value, "max_tokens"); break;
                case "temperature": temperature = OptionalDouble(value, "temperature"); break;
                case "top_p": topP = OptionalDouble(value, "top_p"); break;
                case "stream":
                    stream = value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False or JsonValueKind.Null => false,
                        _ => throw new WireFormatException("'stream' must be a boolean."),
                    };
                    break;
                case "stream_options":
                    includeUsage = value.ValueKind == JsonValueKind.Object
                        && value.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
                    break;
                default: AddExtra(ref extras, property); break;
            }
        }

        if (string.IsNullOrEmpty(model))
        {
            throw new WireFormatException("'model' is required.");
        }

        if (endpoint == ChatEndpoint.ChatCompletions && (messages is null || messages.Count == 0))
        {
            throw new WireFormatException("'messages' must be a non-empty array.");
        }

        if (endpoint == ChatEndpoint.Completions && prompt is null)
        {
            throw new WireFormatException("'prompt' is required.");
        }

        return new ChatCompletionRequest
        {
            Endpoint = endpoint,
            Model = model,
            Messages = messages ?? [],
            Prompt = prompt,
            ChoiceCount = n,
            MaxTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            IncludeStreamUsage = includeUsage,
            AdditionalProperties = Frozen(extras),
        };
    }

    private static List<ChatRequestMessage> ParseMessages(JsonElement value)
    {
        var messages = new List<ChatRequestMessage>();
        foreach (var item in RequireArray(value, "messages").EnumerateArray())
        {
            messages.Add(ParseMessage(RequireObject(item, "messages[]")));
        }

        return messages;
    }

    private static ChatRequestMessage ParseMessage(JsonElement obj)
    {
        ChatMessageRole? role = null;
        ChatContent? content = null;
        string? name = null, toolCallId = null;
        IReadOnlyList<ChatToolCall> toolCalls = [];
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in obj.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "role": role = RequireRole(value, "role", "'role' must be system, developer, user, assistant or tool."); break;
                case "content": content = ParseContent(value); break;
                case "name": name = OptionalString(value, "name"); break;
                case "tool_call_id": toolCallId = OptionalString(value, "tool_call_id"); break;
                case "tool_calls": toolCalls = OptionalToolCalls(value); break;
                default: AddExtra(ref extras, property); break;
            }
        }

        return new ChatRequestMessage
        {
            Role = role ?? throw new WireFormatException("'role' is required."),
            Content = content,
            Name = name,
            ToolCalls = toolCalls,
            ToolCallId = toolCallId,
            AdditionalProperties = Frozen(extras),
        };
    }

    private static ChatContent? ParseContent(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return ChatContent.FromText(value.GetString()!);
            case JsonValueKind.Array:
                var parts = new List<ChatContentPart>();
                foreach (var item in value.EnumerateArray())
                {
                    RequireObject(item, "content[]");
                    var type = item.TryGetProperty("type", out var t) ? RequireString(t, "content[].type") : throw new WireFormatException("'content[].type' is required.");
                    string? text = null;
                    if (type == "text")
                    {
                        text = item.TryGetProperty("text", out var tx) ? RequireString(tx, "content[].text") : throw new WireFormatException("'content[].text' is required.");
                    }

                    parts.Add(new ChatContentPart(type, text, item.Clone()));
                }

                return ChatContent.FromParts(parts);
            default:
                throw new WireFormatException("'content' must be a string, an array of parts or null.");
        }
    }

    /// <summary>The <c>tool_calls</c> of a message; null means none.</summary>
    private static List<ChatToolCall> OptionalToolCalls(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? [] : ParseToolCalls(value);

    private static List<ChatToolCall> ParseToolCalls(JsonElement value)
    {
        var calls = new List<ChatToolCall>();
        foreach (var item in RequireArray(value, "tool_calls").EnumerateArray())
        {
            RequireObject(item, "tool_calls[]");
            var id = item.TryGetProperty("id", out var i) ? OptionalString(i, "tool_calls[].id") ?? "" : "";
            var type = item.TryGetProperty("type", out var t) ? OptionalString(t, "tool_calls[].type") ?? "function" : "function";
            if (!item.TryGetProperty("function", out var function))
            {
                throw new WireFormatException("'tool_calls[].function' is required.");
            }

            RequireObject(function, "tool_calls[].function");
            var name = function.TryGetProperty("name", out var n) ? RequireString(n, "tool_calls[].function.name") : "";
            var arguments = function.TryGetProperty("arguments", out var a) ? OptionalString(a, "tool_calls[].function.arguments") ?? "" : "";
            calls.Add(new ChatToolCall(id, type, name, arguments));
        }

        return calls;
    }

    private static CompletionPrompt ParsePrompt(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return CompletionPrompt.FromText(value.GetString()!);
            case JsonValueKind.Array:
                var length = value.GetArrayLength();
                if (length == 0)
                {
                    throw new WireFormatException("'prompt' must not be empty.");
                }

                var first = value[0].ValueKind;
                if (first == JsonValueKind.String)
                {
                    return CompletionPrompt.FromTexts(value.EnumerateArray().Select(e => RequireString(e, "prompt[]")).ToList());
                }

                if (first == JsonValueKind.Number)
                {
                    return CompletionPrompt.FromTokenIds(ParseIds(value));
                }

                if (first == JsonValueKind.Array)
                {
                    return CompletionPrompt.FromTokenIdArrays(value.EnumerateArray().Select(e => (IReadOnlyList<int>)ParseIds(RequireArray(e, "prompt[]"))).ToList());
                }

                break;
        }

        throw new WireFormatException("'prompt' must be a string, an array of strings, an array of token ids or an array of such arrays.");
    }

    private static int[] ParseIds(JsonElement array)
    {
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var id = RequireInt(item, "prompt[]");
            ids[i++] = id >= 0 ? id : throw new WireFormatException("'prompt' token ids must not be negative.");
        }

        return ids;
    }
}
