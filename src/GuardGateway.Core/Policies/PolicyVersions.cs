namespace GuardGateway.Core.Policies;

/// <summary>Special values for optimistic concurrency in <see cref="IPolicyAdmin"/>.</summary>
public static class PolicyVersions
{
    /// <summary>Matches any current version (an unconditional write or delete).</summary>
    public const string Any = "*";
}
