using GuardGateway.Core.Moderation;

namespace GuardGateway.Server.Judgement;

/// <summary>A moderation decision and the time it took (from the start of the classification).</summary>
/// <param name="Decision">The decision.</param>
/// <param name="Elapsed">The time from the start of the moderation to the decision.</param>
internal sealed record TimedDecision(ModerationDecision Decision, TimeSpan Elapsed);
