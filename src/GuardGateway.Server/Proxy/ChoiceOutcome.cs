namespace GuardGateway.Server.Proxy;

/// <summary>The moderation of one answer choice.</summary>
/// <param name="Index">The choice index.</param>
/// <param name="Moderation">What was decided and applied.</param>
/// <param name="Refusal">The policy's refusal text when the choice was withheld; null otherwise.</param>
internal sealed record ChoiceOutcome(int Index, ModerationSummary Moderation, string? Refusal);
