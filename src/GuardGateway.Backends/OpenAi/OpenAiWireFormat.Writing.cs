using System.Text.Json;
using GuardGateway.Core.Backends;

namespace GuardGateway.Backends.OpenAi;

/// <summary>Domain to JSON, in the shapes OpenAI-compatible servers and SDKs expect.</summary>
public static partial class OpenAiWireFormat
{
    /// <summary>Writes a request body.</summary>
    /// <param name="writer">The target.</param>
    /// <param name="request">The request.</param>
    /// <param name="stream">Whether to ask for an SSE stream.</param>
    public static void WriteRequest(Utf8JsonWriter writer, ChatCompletionRequest request, bool stream)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(request);
        writer.WriteStartObject();
        writer.WriteString("model", request.Model);
        if (request.Endpoint == ChatEndpoint.ChatCompletions)
        {
            writer.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                WriteRequestMessage(writer, message);
            }

            writer.WriteEndArray();
        }
        else
        {
            WritePrompt(writer, request.Prompt ?? throw new ArgumentException("A completions request needs a prompt.", nameof(request)));
        }

        WriteOptionalNumber(writer, "n", request.ChoiceCount);
        WriteOptionalNumber(writer, "max_tokens", request.MaxTokens);
        if (request.Temperature is { } temperature)
        {
            writer.WriteNumber("temperature", temperature);
        }

        if (request.TopP is { } topP)
        {
            writer.WriteNumber("top_p", topP);
        }

        WriteExtras(writer, request.AdditionalProperties);
        if (stream)
        {
            writer.WriteBoolean("stream", true);
            if (request.IncludeStreamUsage)
            {
                writer.WriteStartObject("stream_options");
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a unary answer (<c>chat.completion</c> or <c>text_completion</c>).</summary>
    public static void WriteCompletion(Utf8JsonWriter writer, ChatCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(completion);
        var chat = completion.Endpoint == ChatEndpoint.ChatCompletions;
        WriteAnswerStart(writer, completion.Id, chat ? "chat.completion" : "text_completion", completion.Created, completion.Model);
        foreach (var choice in completion.Choices)
        {
            WriteChoiceStart(writer, choice.Index, chat, choice.Text);
            if (chat)
            {
                writer.WritePropertyName("message");
                WriteResponseMessage(writer, choice.Message ?? new ChatResponseMessage());
            }

            WriteChoiceEnd(writer, choice.AdditionalProperties, choice.FinishReason);
        }

        WriteAnswerEnd(writer, completion.Usage, completion.AdditionalProperties);
    }

    /// <summary>Writes one stream chunk (<c>chat.completion.chunk</c> or <c>text_completion</c>), the JSON of one SSE event.</summary>
    public static void WriteChunk(Utf8JsonWriter writer, ChatCompletionChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(chunk);
        var chat = chunk.Endpoint == ChatEndpoint.ChatCompletions;
        WriteAnswerStart(writer, chunk.Id, chat ? "chat.completion.chunk" : "text_completion", chunk.Created, chunk.Model);
        foreach (var choice in chunk.Choices)
        {
            WriteChoiceStart(writer, choice.Index, chat, choice.Text);
            if (chat)
            {
                WriteDelta(writer, choice.Delta ?? new ChatDelta());
            }

            WriteChoiceEnd(writer, choice.AdditionalProperties, choice.FinishReason);
        }

        WriteAnswerEnd(writer, chunk.Usage, chunk.AdditionalProperties);
    }

    /// <summary>Opens a unary answer or a chunk: its envelope fields, then the <c>choices</c> array.</summary>
    private static void WriteAnswerStart(Utf8JsonWriter writer, string id, string objectName, long created, string model)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", objectName);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteStartArray("choices");
    }

    /// <summary>
    /// Opens one choice: its index, then for a legacy completion its text (a chat choice's message or delta comes next).
    /// </summary>
    private static void WriteChoiceStart(Utf8JsonWriter writer, int index, bool chat, string? text)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        if (!chat)
        {
            writer.WriteString("text", text ?? "");
        }
    }

    /// <summary>Closes one choice: its unmodelled fields, then <c>finish_reason</c> (null when not reported).</summary>
    private static void WriteChoiceEnd(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> extras, string? finishReason)
    {
        WriteExtras(writer, extras);
        WriteNullableString(writer, "finish_reason", finishReason);
        writer.WriteEndObject();
    }

    /// <summary>Closes a unary answer or a chunk: the <c>choices</c> array, the usage when there is one, unmodelled fields.</summary>
    private static void WriteAnswerEnd(Utf8JsonWriter writer, ChatUsage? usage, IReadOnlyDictionary<string, JsonElement> extras)
    {
        writer.WriteEndArray();
        WriteUsage(writer, usage);
        WriteExtras(writer, extras);
        writer.WriteEndObject();
    }

    private static void WriteRequestMessage(Utf8JsonWriter writer, ChatRequestMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role.ToWireName());
        if (message.Content is { } content)
        {
            if (content.Text is not null)
            {
                writer.WriteString("content", content.Text);
            }
            else
            {
                writer.WriteStartArray("content");
                foreach (var part in content.Parts!)
                {
                    WritePart(writer, part);
                }

                writer.WriteEndArray();
            }
        }
        else
        {
            // Servers accept an explicit null (an assistant turn with only tool calls); some reject a missing field.
            writer.WriteNull("content");
        }

        if (message.Name is not null)
        {
            writer.WriteString("name", message.Name);
        }

        if (message.ToolCalls.Count > 0)
        {
            WriteToolCalls(writer, message.ToolCalls);
        }

        if (message.ToolCallId is not null)
        {
            writer.WriteString("tool_call_id", message.ToolCallId);
        }

        WriteExtras(writer, message.AdditionalProperties);
        writer.WriteEndObject();
    }

    private static void WritePart(Utf8JsonWriter writer, ChatContentPart part)
    {
        if (part.Raw.ValueKind == JsonValueKind.Object && part.Type != "text")
        {
            // Non-text parts (images, audio) are forwarded exactly as received.
            part.Raw.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type", part.Type);
        if (part.Text is not null)
        {
            writer.WriteString("text", part.Text);
        }

        // Other fields of a text part (e.g. cache_control) are kept; the text itself comes from the domain value.
        if (part.Raw.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in part.Raw.EnumerateObject())
            {
                if (property.Name is not ("type" or "text"))
                {
                    property.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteResponseMessage(Utf8JsonWriter writer, ChatResponseMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role.ToWireName());
        WriteNullableString(writer, "content", message.Content);
        if (message.ToolCalls.Count > 0)
        {
            WriteToolCalls(writer, message.ToolCalls);
        }

        WriteExtras(writer, message.AdditionalProperties);
        writer.WriteEndObject();
    }

    private static void WriteDelta(Utf8JsonWriter writer, ChatDelta delta)
    {
        writer.WriteStartObject("delta");
        if (delta.Role is { } role)
        {
            writer.WriteString("role", role.ToWireName());
        }

        if (delta.Content is not null)
        {
            writer.WriteString("content", delta.Content);
        }

        if (delta.ToolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in delta.ToolCalls)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", call.Index);
                if (call.Id is not null)
                {
                    writer.WriteString("id", call.Id);
                }

                if (call.Type is not null)
                {
                    writer.WriteString("type", call.Type);
                }

                if (call.FunctionName is not null || call.ArgumentsFragment is not null)
                {
                    writer.WriteStartObject("function");
                    if (call.FunctionName is not null)
                    {
                        writer.WriteString("name", call.FunctionName);
                    }

                    if (call.ArgumentsFragment is not null)
                    {
                        writer.WriteString("arguments", call.ArgumentsFragment);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        WriteExtras(writer, delta.AdditionalProperties);
        writer.WriteEndObject();
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, IReadOnlyList<ChatToolCall> calls)
    {
        writer.WriteStartArray("tool_calls");
        foreach (var call in calls)
        {
            writer.WriteStartObject();
            writer.WriteString("id", call.Id);
            writer.WriteString("type", call.Type);
            writer.WriteStartObject("function");
            writer.WriteString("name", call.FunctionName);
            writer.WriteString("arguments", call.Arguments);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WritePrompt(Utf8JsonWriter writer, CompletionPrompt prompt)
    {
        switch (prompt.Shape)
        {
            case CompletionPromptShape.SingleText:
                writer.WriteString("prompt", prompt.Texts[0]);
                break;
            case CompletionPromptShape.TextArray:
                writer.WriteStartArray("prompt");
                foreach (var text in prompt.Texts)
                {
                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;
            case CompletionPromptShape.SingleTokenIds:
                writer.WritePropertyName("prompt");
                WriteIds(writer, prompt.TokenIds[0]);
                break;
            default:
                writer.WriteStartArray("prompt");
                foreach (var ids in prompt.TokenIds)
                {
                    WriteIds(writer, ids);
                }

                writer.WriteEndArray();
                break;
        }
    }

    private static void WriteIds(Utf8JsonWriter writer, IReadOnlyList<int> ids)
    {
        writer.WriteStartArray();
        foreach (var id in ids)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter writer, ChatUsage? usage)
    {
        if (usage is null)
        {
            return;
        }

        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        WriteExtras(writer, usage.AdditionalProperties);
        writer.WriteEndObject();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
