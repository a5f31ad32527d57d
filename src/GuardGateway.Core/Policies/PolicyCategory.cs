using GuardGateway.Core.Moderation;

namespace GuardGateway.Core.Policies;

/// <summary>One hazard category of a policy.</summary>
public sealed record PolicyCategory
{
    /// <summary>The code the model answers with (<c>S1</c>…).</summary>
    public required string Code { get; init; }

    /// <summary>Display name from the taxonomy (e.g. <c>Child Sexual Exploitation</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The words rendered into the guard prompt (the trained names by default, e.g. <c>Child Exploitation.</c>).</summary>
    public required string Prompt { get; init; }

    /// <summary>Optional long description (rendered only when the policy turns descriptions on).</summary>
    public string? Description { get; init; }

    /// <summary>Action on user input.</summary>
    public required DirectionRule Input { get; init; }

    /// <summary>Action on model output.</summary>
    public required DirectionRule Output { get; init; }

    /// <summary>The rule for one direction.</summary>
    public DirectionRule RuleFor(ModerationDirection direction) => direction == ModerationDirection.Input ? Input : Output;
}
