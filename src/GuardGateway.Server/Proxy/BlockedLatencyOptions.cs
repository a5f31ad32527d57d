namespace GuardGateway.Server.Proxy;

/// <summary>
/// The block-latency floor (configuration section <c>Proxy:BlockedLatency</c>; RELIABILITY.md T20, "timing and
/// caches"). An input the guard blocks is answered without calling the model, so it comes back much sooner than an
/// allowed one: a client could tell "blocked" from "allowed" by latency alone, e.g. to probe the policy without reading
/// answers. The gateway therefore holds a content-blocked answer until it is at least as old as a latency drawn from
/// recent allowed calls (<see cref="MatchAllowed"/>) and at least <see cref="Floor"/>, never longer than
/// <see cref="Max"/>. Shed (429 / RESOURCE_EXHAUSTED) and no-verdict answers are never held: they say nothing about
/// the content and must stay fast.
/// </summary>
public sealed class BlockedLatencyOptions
{
    /// <summary>A fixed minimum age of a blocked answer. Default 0 (none); range 0 to <see cref="Max"/>.</summary>
    public TimeSpan Floor { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Hold each blocked answer until the age of an allowed call drawn at random from the last <see cref="Window"/>
    /// allowed calls (so the two latency distributions match). Default true. No allowed call yet: only the floor applies.
    /// </summary>
    public bool MatchAllowed { get; set; } = true;

    /// <summary>The longest a blocked answer is held. Default 2 s; range 0 to 60 s.</summary>
    public TimeSpan Max { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Allowed-call latencies remembered for <see cref="MatchAllowed"/>. Default 512; range 1 to 65,536.</summary>
    public int Window { get; set; } = 512;
}
