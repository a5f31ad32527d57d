namespace GuardGateway.Core.Policies;

/// <summary>What happened to a policy.</summary>
public enum PolicyChangeKind
{
    /// <summary>A new policy id appeared.</summary>
    Created,

    /// <summary>An existing policy got a new version.</summary>
    Updated,

    /// <summary>A policy was removed.</summary>
    Deleted,
}
