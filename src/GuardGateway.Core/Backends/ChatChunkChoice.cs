using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>The delta of one choice within a chunk.</summary>
public sealed record ChatChunkChoice
{
    /// <summary>The choice index (several choices interleave when <c>n &gt; 1</c>).</summary>
    public int Index { get; init; }

    /// <summary>The delta, for chat completions; null for legacy completions.</summary>
    public ChatDelta? Delta { get; init; }

    /// <summary>The text fragment, for legacy completions; null for chat completions.</summary>
    public string? Text { get; init; }

    /// <summary>Set on the chunk that finishes this choice.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Fields not modelled above (e.g. <c>logprobs</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
