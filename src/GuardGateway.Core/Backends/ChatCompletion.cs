using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>A complete (unary) answer: a chat completion or a legacy text completion.</summary>
public sealed record ChatCompletion
{
    /// <summary>Which operation produced it.</summary>
    public ChatEndpoint Endpoint { get; init; } = ChatEndpoint.ChatCompletions;

    /// <summary>The backend's completion id (empty when it sent none).</summary>
    public string Id { get; init; } = "";

    /// <summary>The model that answered.</summary>
    public string Model { get; init; } = "";

    /// <summary>Unix seconds of creation (0 when absent).</summary>
    public long Created { get; init; }

    /// <summary>The choices (<c>n</c> of them), each to moderate.</summary>
    public IReadOnlyList<ChatChoice> Choices { get; init; } = [];

    /// <summary>Token usage, when reported.</summary>
    public ChatUsage? Usage { get; init; }

    /// <summary>Top-level fields not modelled above (e.g. <c>system_fingerprint</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
