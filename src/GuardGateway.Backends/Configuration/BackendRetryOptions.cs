namespace GuardGateway.Backends.Configuration;

/// <summary>
/// Retries. Only attempts that failed before any response byte, for safe reasons (connection refused, HTTP 502/503/504
/// or gRPC UNAVAILABLE before a body), are retried; never a 4xx, INVALID_ARGUMENT, PERMISSION_DENIED, a timeout, or
/// anything after the first streamed byte.
/// </summary>
public sealed class BackendRetryOptions
{
    /// <summary>Attempts per call including the first, 1 to 3 (1 = no retry). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential back-off (with jitter). 0 to 10 s. Default 100 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Retry budget (Linkerd-style, RELIABILITY.md T11): retries may add at most this fraction of the calls made in
    /// <see cref="BudgetWindow"/>, on top of <see cref="BudgetMinRetriesPerSecond"/>. 0 to 1. Default 0.2 (20 % extra load).
    /// </summary>
    public double BudgetRatio { get; set; } = 0.2;

    /// <summary>Retries per second allowed whatever the ratio (so a quiet backend can still be retried). 0 to 1,000. Default 10.</summary>
    public double BudgetMinRetriesPerSecond { get; set; } = 10;

    /// <summary>The sliding window over which calls and retries are counted. 1 s to 10 min. Default 10 s.</summary>
    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromSeconds(10);
}
