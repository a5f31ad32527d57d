namespace GuardGateway.Core.Policies;

/// <summary>How the policy store is doing: for health detail and metrics. Never contains policy text.</summary>
public sealed record PolicyStoreStatus
{
    /// <summary>True when a valid policy set is loaded (the last good one, if the latest edit was broken).</summary>
    public required bool HasValidSet { get; init; }

    /// <summary>True when the most recent reload attempt succeeded (false while a broken edit is on disk).</summary>
    public required bool LastReloadSucceeded { get; init; }

    /// <summary>When the last reload was attempted; null before the first.</summary>
    public DateTimeOffset? LastReloadAt { get; init; }

    /// <summary>When a reload last succeeded; null if none has.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>The diagnostics of the last reload attempt (errors and warnings).</summary>
    public IReadOnlyList<PolicyDiagnostic> LastDiagnostics { get; init; } = [];

    /// <summary>Policies in the current set.</summary>
    public int PolicyCount { get; init; }

    /// <summary>Generation of the current set.</summary>
    public long Generation { get; init; }

    /// <summary>Reload attempts so far (file changes and explicit reloads).</summary>
    public long ReloadCount { get; init; }

    /// <summary>Reload attempts rejected because the files on disk were invalid.</summary>
    public long FailedReloadCount { get; init; }
}
