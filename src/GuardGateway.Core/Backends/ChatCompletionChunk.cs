using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>One streamed chunk: deltas for some choices, and/or usage (often in a last chunk with no choices).</summary>
public sealed record ChatCompletionChunk
{
    /// <summary>Which operation produced it.</summary>
    public ChatEndpoint Endpoint { get; init; } = ChatEndpoint.ChatCompletions;

    /// <summary>The completion id (empty when absent).</summary>
    public string Id { get; init; } = "";

    /// <summary>The model (empty when absent).</summary>
    public string Model { get; init; } = "";

    /// <summary>Unix seconds (0 when absent).</summary>
    public long Created { get; init; }

    /// <summary>The choice deltas in this chunk.</summary>
    public IReadOnlyList<ChatChunkChoice> Choices { get; init; } = [];

    /// <summary>Usage, when this chunk reports it.</summary>
    public ChatUsage? Usage { get; init; }

    /// <summary>Top-level fields not modelled above, forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
