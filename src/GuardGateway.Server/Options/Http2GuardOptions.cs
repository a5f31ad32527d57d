namespace GuardGateway.Server.Options;

/// <summary>
/// The HTTP/2 PING flood limiter on every Kestrel endpoint (configuration section <c>Http2Guard</c>, RELIABILITY.md
/// T14): a per-connection token bucket of PING frames (without ACK); a connection over it is aborted. It reads
/// cleartext HTTP/2 (h2c, the gRPC port) only: a connection that does not start with the HTTP/2 preface, including one
/// over TLS terminated by Kestrel itself (the guard sees ciphertext), is passed through unparsed.
/// </summary>
public sealed class Http2GuardOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Http2Guard";

    /// <summary>Watch h2c connections' PING frames (default true; false: not installed at all).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Sustained PING frames per second allowed on one connection (default 10). Real clients send far fewer:
    /// SocketsHttpHandler's keepalive at most one per <c>KeepAlivePingDelay</c> (≥ 1 s) plus a few RTT probes, gRPC
    /// clients' keepalive and BDP probes a few per second at most.
    /// </summary>
    public double PingsPerSecond { get; set; } = 10;

    /// <summary>PING frames one connection may send at once before the sustained rate applies (default 100).</summary>
    public int PingBurst { get; set; } = 100;
}
