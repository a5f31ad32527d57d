namespace GuardGateway.Core.Moderation;

/// <summary>One category the guard named, judged against the policy.</summary>
/// <param name="Code">The code (<c>S1</c>…).</param>
/// <param name="Name">The policy's display name for it.</param>
/// <param name="Score">
/// The category score of spec §5 (how likely the model names this code first, times P(unsafe)) when the
/// classifier computed one, else P(unsafe) itself.
/// </param>
/// <param name="Action">The policy's action for this category in the decision's direction.</param>
/// <param name="Reported">
/// True when P(unsafe) reached the category's threshold for this direction, so <paramref name="Action"/>
/// applies; false when the guard named it below that threshold (informational only).
/// </param>
public sealed record CategoryVerdict(string Code, string Name, float Score, ModerationAction Action, bool Reported);
