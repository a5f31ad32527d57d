namespace GuardGateway.Core.Policies;

/// <summary>The loaded policies, swapped atomically on reload or admin change.</summary>
public interface IPolicyStore
{
    /// <summary>The current snapshot. Read it once per request and select from it.</summary>
    PolicySet Current { get; }

    /// <summary>Reload health for health checks and metrics.</summary>
    PolicyStoreStatus Status { get; }
}
