using GuardGateway.Core.Conversations;

namespace GuardGateway.Server.Proxy;

/// <summary>What the guard judges of a request: the projected chat conversation, or the legacy prompts as text.</summary>
/// <param name="Conversation">The guard conversation of a chat request; empty for legacy completions.</param>
/// <param name="Prompts">The prompts (decoded when they were token ids) of a legacy completion; empty for chat.</param>
internal sealed record ProxyInput(IReadOnlyList<ChatMessage> Conversation, IReadOnlyList<string> Prompts)
{
    /// <summary>How many prompts the answer's choices are spread over.</summary>
    public int PromptCount => Math.Max(1, Prompts.Count);
}
