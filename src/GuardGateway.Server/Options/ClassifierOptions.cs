namespace GuardGateway.Server.Options;

/// <summary>
/// The classifier's resilience pipeline <c>guardgateway-classifier</c> (configuration section <c>Guard:Classifier</c>):
/// a timeout around a concurrency limiter with a small queue. Whatever it rejects or times out is "no verdict", which the
/// policy's fail mode decides (fail closed by default), never "safe".
/// </summary>
public sealed class ClassifierOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Guard:Classifier";

    /// <summary>
    /// How long one classification may take, the wait for a permit and queueing in the engine included; past it the
    /// answer is "no verdict" at once, even if the classifier has not stopped. Default 20 s, range 10 ms to 10 min;
    /// keep it under <c>Limits:RequestTimeoutSeconds</c> so the classifier's own deadline decides first.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Classifications in flight at once (the engine batches them). Default 128, range 1 to 100,000.</summary>
    public int MaxConcurrentCalls { get; set; } = 128;

    /// <summary>
    /// Classifications waiting for a permit beyond <see cref="MaxConcurrentCalls"/>. Default 32, range 0 to 100,000.
    /// More are rejected at once (<c>QueueFull</c>, RESOURCE_EXHAUSTED-like): shed fast rather than queue unboundedly.
    /// </summary>
    public int QueueLimit { get; set; } = 32;
}
