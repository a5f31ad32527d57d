namespace GuardGateway.Core.Policies;

/// <summary>
/// Admin operations on policies (YAML text in and out). Every successful change is written atomically
/// (temp file + rename), swaps the snapshot at once, and produces a <see cref="PolicyAuditRecord"/>.
/// </summary>
public interface IPolicyAdmin
{
    /// <summary>Every loaded policy, ordered by id.</summary>
    IReadOnlyList<ModerationPolicy> ListPolicies();

    /// <summary>A policy's YAML text exactly as stored, with its version; <see cref="PolicyAdminErrorKind.NotFound"/> otherwise.</summary>
    PolicyAdminResult<PolicyDocument> GetPolicy(string id);

    /// <summary>
    /// Validates YAML text as it would be stored under <paramref name="id"/> (null = its own id), including
    /// clashes with the other loaded policies. Returns the parsed policy when there are no errors, so it can be
    /// dry-run on a sample conversation.
    /// </summary>
    PolicyValidation ValidatePolicy(string yamlText, string? id = null);

    /// <summary>
    /// Creates or replaces a policy. <paramref name="expectedVersion"/>: null = create only (fails when the id
    /// exists); <see cref="PolicyVersions.Any"/> = unconditional; otherwise the current version must match
    /// (<see cref="PolicyAdminErrorKind.VersionConflict"/> with the current version if not).
    /// </summary>
    ValueTask<PolicyAdminResult<PolicyDocument>> PutPolicyAsync(string id, string yamlText, string? expectedVersion, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a policy whose current version is <paramref name="expectedVersion"/> (or <see cref="PolicyVersions.Any"/>).
    /// Returns the deleted version. The default policy cannot be deleted.
    /// </summary>
    ValueTask<PolicyAdminResult<string>> DeletePolicyAsync(string id, string expectedVersion, string actor, CancellationToken cancellationToken);
}
