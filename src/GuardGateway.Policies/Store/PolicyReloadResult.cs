using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Store;

/// <summary>The outcome of one reload.</summary>
/// <param name="Succeeded">True when the files were valid (the set was swapped if anything changed).</param>
/// <param name="Changes">Policies created, updated or deleted by this reload.</param>
/// <param name="Diagnostics">Every error and warning found; on failure the last good set stays in place.</param>
public sealed record PolicyReloadResult(bool Succeeded, IReadOnlyList<PolicyAuditRecord> Changes, IReadOnlyList<PolicyDiagnostic> Diagnostics);
