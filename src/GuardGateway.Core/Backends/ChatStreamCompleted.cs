namespace GuardGateway.Core.Backends;

/// <summary>
/// The stream ended as the protocol says a complete answer ends (<c>data: [DONE]</c>, a final KServe response,
/// or every choice finished). Terminal.
/// </summary>
public sealed record ChatStreamCompleted : ChatStreamEvent
{
    /// <summary>The shared instance.</summary>
    public static ChatStreamCompleted Instance { get; } = new();
}
