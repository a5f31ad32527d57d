namespace GuardGateway.Backends.Configuration;

/// <summary>
/// Concurrency limit of one backend. A permit is held for a whole call, for streams until the stream is disposed.
/// Calls beyond the limit and the queue fail at once with BackendOverloaded.
/// </summary>
public sealed class BackendConcurrencyOptions
{
    /// <summary>Calls in flight at once, at least 1. Default 64.</summary>
    public int MaxConcurrentCalls { get; set; } = 64;

    /// <summary>Calls allowed to wait for a permit, at least 0. Default 0 (reject at once).</summary>
    public int QueueLimit { get; set; }
}
