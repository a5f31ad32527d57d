using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>An incremental piece of a chat message.</summary>
public sealed record ChatDelta
{
    /// <summary>The role, usually only in the first delta.</summary>
    public ChatMessageRole? Role { get; init; }

    /// <summary>A content fragment; null when this delta carries none.</summary>
    public string? Content { get; init; }

    /// <summary>Tool-call fragments (arguments arrive in pieces and must be moderated as they accumulate).</summary>
    public IReadOnlyList<ChatToolCallDelta> ToolCalls { get; init; } = [];

    /// <summary>Fields not modelled above (e.g. <c>reasoning_content</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
