using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>One choice of a unary answer.</summary>
public sealed record ChatChoice
{
    /// <summary>The choice index.</summary>
    public int Index { get; init; }

    /// <summary>The message, for chat completions; null for legacy completions.</summary>
    public ChatResponseMessage? Message { get; init; }

    /// <summary>The text, for legacy completions; null for chat completions.</summary>
    public string? Text { get; init; }

    /// <summary>Why generation stopped (see <see cref="FinishReasons"/>); null when not reported.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Fields not modelled above (e.g. <c>logprobs</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
