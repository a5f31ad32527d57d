using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>Token counts reported by a backend.</summary>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
/// <param name="TotalTokens">Their sum, as reported.</param>
public sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    /// <summary>Fields not modelled above (e.g. <c>prompt_tokens_details</c>), forwarded unchanged.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = JsonExtensionData.Empty;
}
