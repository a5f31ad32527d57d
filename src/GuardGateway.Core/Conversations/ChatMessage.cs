namespace GuardGateway.Core.Conversations;

/// <summary>One turn of a conversation to moderate.</summary>
/// <param name="Role">Who wrote it.</param>
/// <param name="Content">The text, exactly as received (never logged).</param>
public sealed record ChatMessage(ChatRole Role, string Content);
