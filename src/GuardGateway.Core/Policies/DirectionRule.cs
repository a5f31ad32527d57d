using GuardGateway.Core.Moderation;

namespace GuardGateway.Core.Policies;

/// <summary>The action for one category in one direction, and its threshold.</summary>
/// <param name="Action">What to do when the category is reported.</param>
/// <param name="Threshold">P(unsafe) threshold for this category and direction, in [0, 1]; null = the policy default.</param>
public sealed record DirectionRule(ModerationAction Action, float? Threshold = null);
