using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>The message of a unary chat choice.</summary>
public sealed record ChatResponseMessage
{
    /// <summary>The role (normally <see cref="ChatMessageRole.Assistant"/>).</summary>
    public ChatMessageRole Role { get; init; } = ChatMessageRole.Assistant;

    /// <summary>The text; null when the message has only tool calls.</summary>
    public string? Content { get; init; }

    /// <summary>Tool calls, each with arguments to moderate.</summary>
    public IReadOnlyList<ChatToolCall> ToolCalls { get; init; } = [];

    /// <summary>Fields not modelled above (e.g. <c>refusal</c>, <c>reasoning_content</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
