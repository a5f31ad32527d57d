using System.Text.Json;
using GuardGateway.Core.Backends;

namespace GuardGateway.Backends.OpenAi;

/// <summary>Unary answers and stream chunks: JSON to domain.</summary>
public static partial class OpenAiWireFormat
{
    private static ChatCompletion ParseCompletion(JsonElement root, ChatEndpoint endpoint)
    {
        var envelope = ParseEnvelope(root, item => ParseChoice(item, endpoint));
        return new ChatCompletion
        {
            Endpoint = endpoint,
            Id = envelope.Id,
            Model = envelope.Model,
            Created = envelope.Created,
            Choices = envelope.Choices ?? throw new WireFormatException("'choices' is required."),
            Usage = envelope.Usage,
            AdditionalProperties = Frozen(envelope.Extras),
        };
    }

    /// <summary>
    /// The fields unary answers and stream chunks share. <c>choices</c>: null when absent or JSON null (an answer
    /// requires it, a chunk may omit it, e.g. the final usage chunk).
    /// </summary>
    private static Envelope<TChoice> ParseEnvelope<TChoice>(JsonElement root, Func<JsonElement, TChoice> parseChoice)
    {
        string id = "", model = "";
        long created = 0;
        List<TChoice>? choices = null;
        ChatUsage? usage = null;
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "id": id = OptionalString(value, "id") ?? ""; break;
                case "object": break; // Derived from the endpoint when written.
                case "model": model = OptionalString(value, "model") ?? ""; break;
                case "created": created = value.ValueKind == JsonValueKind.Null ? 0 : RequireLong(value, "created"); break;
                case "usage": usage = ParseUsage(value); break;
                case "choices" when value.ValueKind == JsonValueKind.Null: break;
                case "choices":
                    choices = [];
                    foreach (var item in RequireArray(value, "choices").EnumerateArray())
                    {
                        choices.Add(parseChoice(RequireObject(item, "choices[]")));
                    }

                    break;
                default: AddExtra(ref extras, property); break;
            }
        }

        return new Envelope<TChoice>(id, model, created, choices, usage, extras);
    }

    private static ChatChoice ParseChoice(JsonElement obj, ChatEndpoint endpoint)
    {
        var fields = ParseChoiceFields(obj, endpoint, "message", "choices[].message", ParseResponseMessage);
        if (endpoint == ChatEndpoint.ChatCompletions && fields.Body is null)
        {
            throw new WireFormatException("'choices[].message' is required.");
        }

        return new ChatChoice
        {
            Index = fields.Index,
            Message = fields.Body,
            Text = endpoint == ChatEndpoint.Completions ? fields.Text ?? "" : null,
            FinishReason = fields.FinishReason,
            AdditionalProperties = Frozen(fields.Extras),
        };
    }

    /// <summary>
    /// The fields a choice of an answer and of a chunk share; <paramref name="bodyName"/> (<c>message</c> or
    /// <c>delta</c>) is the chat route's body, <c>text</c> the completions route's. The other route's field with a
    /// value is refused (<see cref="CrossField"/>).
    /// </summary>
    private static ChoiceFields<TBody> ParseChoiceFields<TBody>(
        JsonElement obj, ChatEndpoint endpoint, string bodyName, string bodyPath, Func<JsonElement, TBody> parseBody)
        where TBody : class
    {
        int? index = null;
        TBody? body = null;
        string? text = null, finish = null;
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in obj.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "index": index = RequireInt(value, "choices[].index"); break;
                case var name when name == bodyName && endpoint == ChatEndpoint.ChatCompletions: body = parseBody(RequireObject(value, bodyPath)); break;
                case "text" when endpoint == ChatEndpoint.Completions: text = OptionalString(value, "choices[].text"); break;
                case "message" or "text" or "delta" when value.ValueKind != JsonValueKind.Null: throw CrossField(property.Name);
                case "finish_reason": finish = OptionalString(value, "choices[].finish_reason"); break;
                default: AddExtra(ref extras, property); break;
            }
        }

        return new ChoiceFields<TBody>(index ?? throw new WireFormatException("'choices[].index' is required."), body, text, finish, extras);
    }

    /// <summary>Text in a field of the other route would pass unmoderated if kept raw: refuse it.</summary>
    private static WireFormatException CrossField(string name) =>
        new($"'choices[].{name}' does not belong to this route.");

    private static ChatResponseMessage ParseResponseMessage(JsonElement obj)
    {
        var role = ChatMessageRole.Assistant;
        string? content = null;
        IReadOnlyList<ChatToolCall> toolCalls = [];
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in obj.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "role": role = RequireRole(value, "message.role", "'message.role' is not a known role."); break;
                case "content": content = OptionalString(value, "message.content"); break;
                case "tool_calls": toolCalls = OptionalToolCalls(value); break;
                default: AddExtra(ref extras, property); break;
            }
        }

        return new ChatResponseMessage { Role = role, Content = content, ToolCalls = toolCalls, AdditionalProperties = Frozen(extras) };
    }

    private static ChatUsage? ParseUsage(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        RequireObject(value, "usage");
        int prompt = 0, completion = 0, total = 0;
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "prompt_tokens": prompt = OptionalInt(property.Value, "usage.prompt_tokens") ?? 0; break;
                case "completion_tokens": completion = OptionalInt(property.Value, "usage.completion_tokens") ?? 0; break;
                case "total_tokens": total = OptionalInt(property.Value, "usage.total_tokens") ?? 0; break;
                default: AddExtra(ref extras, property); break;
            }
        }

        return new ChatUsage(prompt, completion, total) { AdditionalProperties = Frozen(extras) };
    }

    private static ChatCompletionChunk ParseChunk(JsonElement root, ChatEndpoint endpoint)
    {
        var envelope = ParseEnvelope(root, item => ParseChunkChoice(item, endpoint));
        return new ChatCompletionChunk
        {
            Endpoint = endpoint,
            Id = envelope.Id,
            Model = envelope.Model,
            Created = envelope.Created,
            Choices = envelope.Choices ?? [],
            Usage = envelope.Usage,
            AdditionalProperties = Frozen(envelope.Extras),
        };
    }

    private static ChatChunkChoice ParseChunkChoice(JsonElement obj, ChatEndpoint endpoint)
    {
        var fields = ParseChoiceFields(obj, endpoint, "delta", "choices[].delta", ParseDelta);
        return new ChatChunkChoice
        {
            Index = fields.Index,
            Delta = endpoint == ChatEndpoint.ChatCompletions ? fields.Body ?? new ChatDelta() : null,
            Text = endpoint == ChatEndpoint.Completions ? fields.Text ?? "" : null,
            FinishReason = fields.FinishReason,
            AdditionalProperties = Frozen(fields.Extras),
        };
    }

    private readonly record struct Envelope<TChoice>(
        string Id, string Model, long Created, List<TChoice>? Choices, ChatUsage? Usage, Dictionary<string, JsonElement>? Extras);

    private readonly record struct ChoiceFields<TBody>(
        int Index, TBody? Body, string? Text, string? FinishReason, Dictionary<string, JsonElement>? Extras)
        where TBody : class;

    private static ChatDelta ParseDelta(JsonElement obj)
    {
        ChatMessageRole? role = null;
        string? content = null;
        List<ChatToolCallDelta> toolCalls = [];
        Dictionary<string, JsonElement>? extras = null;
        foreach (var property in obj.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "role":
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        role = RequireRole(value, "delta.role", "'delta.role' is not a known role.");
                    }

                    break;
                case "content": content = OptionalString(value, "delta.content"); break;
                case "tool_calls":
                    if (value.ValueKind != JsonValueKind.Null)
                    {
                        foreach (var item in RequireArray(value, "delta.tool_calls").EnumerateArray())
                        {
                            toolCalls.Add(ParseToolCallDelta(RequireObject(item, "delta.tool_calls[]")));
                        }
                    }

                    break;
                default: AddExtra(ref extras, property); break;
            }
        }

        return new ChatDelta { Role = role, Content = content, ToolCalls = toolCalls, AdditionalProperties = Frozen(extras) };
    }

    private static ChatToolCallDelta ParseToolCallDelta(JsonElement obj)
    {
        // Some servers omit the index when there is a single call; 0 is what they mean.
        var index = obj.TryGetProperty("index", out var i) ? RequireInt(i, "tool_calls[].index") : 0;
        var id = obj.TryGetProperty("id", out var d) ? OptionalString(d, "tool_calls[].id") : null;
        var type = obj.TryGetProperty("type", out var t) ? OptionalString(t, "tool_calls[].type") : null;
        string? name = null, arguments = null;
        if (obj.TryGetProperty("function", out var function) && function.ValueKind != JsonValueKind.Null)
        {
            RequireObject(function, "tool_calls[].function");
            name = function.TryGetProperty("name", out var n) ? OptionalString(n, "tool_calls[].function.name") : null;
            arguments = function.TryGetProperty("arguments", out var a) ? OptionalString(a, "tool_calls[].function.arguments") : null;
        }

        return new ChatToolCallDelta(index, id, type, name, arguments);
    }
}
