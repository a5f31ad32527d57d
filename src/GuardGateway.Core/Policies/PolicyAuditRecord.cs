namespace GuardGateway.Core.Policies;

/// <summary>One applied policy change: who, what, old and new version. Never contains policy text or secrets.</summary>
/// <param name="Timestamp">When the change was applied.</param>
/// <param name="Actor">Who made it: an admin key id for admin calls, <c>file-reload</c> for edits picked up from disk.</param>
/// <param name="Change">Created, updated or deleted.</param>
/// <param name="PolicyId">The policy.</param>
/// <param name="OldVersion">The version before (null when created).</param>
/// <param name="NewVersion">The version after (null when deleted).</param>
public sealed record PolicyAuditRecord(
    DateTimeOffset Timestamp,
    string Actor,
    PolicyChangeKind Change,
    string PolicyId,
    string? OldVersion,
    string? NewVersion);
