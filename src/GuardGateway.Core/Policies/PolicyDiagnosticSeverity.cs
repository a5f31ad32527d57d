namespace GuardGateway.Core.Policies;

/// <summary>How bad a policy diagnostic is.</summary>
public enum PolicyDiagnosticSeverity
{
    /// <summary>The policy (or policy set) cannot be used.</summary>
    Error,

    /// <summary>Usable, but something needs attention (e.g. a policy for a model family that is not loaded).</summary>
    Warning,
}
