namespace GuardGateway.Server.Options;

/// <summary>Graceful drain on SIGTERM / stop (configuration section <c>Shutdown</c>, RELIABILITY.md T13).</summary>
public sealed class ShutdownOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Shutdown";

    /// <summary>
    /// Seconds from the stop signal until the host gives up waiting for calls in flight (default 20, the host's
    /// <c>ShutdownTimeout</c>; keep it below the orchestrator's kill deadline, e.g. Kubernetes'
    /// <c>terminationGracePeriodSeconds</c>). Unary calls finish normally meanwhile; moderated streams still open
    /// <see cref="StreamEndMarginSeconds"/> before it are ended with an error (never a clean finish).
    /// </summary>
    public double GraceSeconds { get; set; } = 20;

    /// <summary>
    /// How long before the end of the grace the remaining streams are ended (default 1 s, at most half the grace), so
    /// their error status reaches the client before connections are closed.
    /// </summary>
    public double StreamEndMarginSeconds { get; set; } = 1;
}
