using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>One message of a chat request. Every text-bearing part must be moderated: content, tool-call arguments.</summary>
public sealed record ChatRequestMessage
{
    /// <summary>Who wrote it.</summary>
    public required ChatMessageRole Role { get; init; }

    /// <summary>The content (string or parts); null when absent (an assistant message with only tool calls).</summary>
    public ChatContent? Content { get; init; }

    /// <summary>The optional participant <c>name</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Tool calls made by an assistant message; empty otherwise.</summary>
    public IReadOnlyList<ChatToolCall> ToolCalls { get; init; } = [];

    /// <summary>For a <see cref="ChatMessageRole.Tool"/> message, the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Fields not modelled above, forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
