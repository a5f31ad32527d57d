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
}
