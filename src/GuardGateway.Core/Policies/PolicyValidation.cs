namespace GuardGateway.Core.Policies;

/// <summary>The outcome of validating policy text: the policy when there are no errors, and every diagnostic.</summary>
/// <param name="Policy">The parsed policy, or null when <paramref name="Diagnostics"/> holds an error.</param>
/// <param name="Diagnostics">Every error and warning, in file order.</param>
public sealed record PolicyValidation(ModerationPolicy? Policy, IReadOnlyList<PolicyDiagnostic> Diagnostics)
{
    /// <summary>True when there is a policy and no error (warnings allowed).</summary>
    public bool IsValid => Policy is not null && !Diagnostics.Any(d => d.IsError);
}
