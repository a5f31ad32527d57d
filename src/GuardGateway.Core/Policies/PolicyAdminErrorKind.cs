namespace GuardGateway.Core.Policies;

/// <summary>Why an admin operation was refused.</summary>
public enum PolicyAdminErrorKind
{
    /// <summary>No policy with that id.</summary>
    NotFound,

    /// <summary>The text (or the resulting set) is invalid; see the diagnostics.</summary>
    Invalid,

    /// <summary>The expected version is not the current one (or the policy exists on a create).</summary>
    VersionConflict,

    /// <summary>Writing or deleting the file failed; nothing changed.</summary>
    StorageFailure,
}
