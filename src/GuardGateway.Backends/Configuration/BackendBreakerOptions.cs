namespace GuardGateway.Backends.Configuration;

/// <summary>
/// The circuit breaker of one backend: while open, calls fail at once with BackendUnavailable. Counted failures:
/// connection errors, 5xx, UNAVAILABLE, attempt timeouts and protocol errors (never the caller's 4xx).
/// </summary>
public sealed class BackendBreakerOptions
{
    /// <summary>Failure ratio in the sampling window that opens the circuit, in (0, 1]. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the window before the ratio counts, at least 2. Default 20.</summary>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>The sampling window, at least 500 ms. Default 10 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open before one probe call, at least 500 ms. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
