using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>
/// A request for a backend: a chat completion (<see cref="Messages"/>) or a legacy completion
/// (<see cref="Prompt"/>). Streaming is chosen by the method called (<see cref="IChatBackend.StreamAsync"/>),
/// not by a field here.
/// </summary>
public sealed record ChatCompletionRequest
{
    /// <summary>Which operation this is.</summary>
    public ChatEndpoint Endpoint { get; init; } = ChatEndpoint.ChatCompletions;

    /// <summary>The model name, used for routing and forwarded as is.</summary>
    public required string Model { get; init; }

    /// <summary>The conversation, for <see cref="ChatEndpoint.ChatCompletions"/>; empty otherwise.</summary>
    public IReadOnlyList<ChatRequestMessage> Messages { get; init; } = [];

    /// <summary>The prompt, for <see cref="ChatEndpoint.Completions"/>; null otherwise.</summary>
    public CompletionPrompt? Prompt { get; init; }

    /// <summary>How many choices to generate (<c>n</c>); null = the server's default (1).</summary>
    public int? ChoiceCount { get; init; }

    /// <summary>The token limit <c>max_tokens</c>; null = server default (<c>max_completion_tokens</c> stays in <see cref="AdditionalProperties"/>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary><c>temperature</c>; null = server default.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_p</c>; null = server default.</summary>
    public double? TopP { get; init; }

    /// <summary>
    /// Whether the backend should report usage in the last stream chunk (<c>stream_options.include_usage</c>).
    /// Only meaningful for streams.
    /// </summary>
    public bool IncludeStreamUsage { get; init; }

    /// <summary>A correlation id sent upstream (HTTP header <c>X-Request-Id</c>, KServe request <c>id</c>); null = none.</summary>
    public string? RequestId { get; init; }

    /// <summary>Top-level fields not modelled above (e.g. <c>tools</c>, <c>stop</c>, <c>seed</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
