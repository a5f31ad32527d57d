namespace GuardGateway.Core.Policies;

/// <summary>A refused admin operation, as a value.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">A one-line explanation (no secrets, no policy text).</param>
public sealed record PolicyAdminError(PolicyAdminErrorKind Kind, string Message)
{
    /// <summary>For <see cref="PolicyAdminErrorKind.Invalid"/>: every diagnostic.</summary>
    public IReadOnlyList<PolicyDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>For <see cref="PolicyAdminErrorKind.VersionConflict"/>: the current version (null when the policy does not exist).</summary>
    public string? CurrentVersion { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Message}";
}
