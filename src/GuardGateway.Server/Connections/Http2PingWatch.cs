using System.Buffers;

namespace GuardGateway.Server.Connections;

/// <summary>
/// One connection's PING accounting: the frame scanner over its inbound bytes and its token bucket. Calls
/// <c>onFlood</c> once, when the bucket runs dry, and ignores everything after that or after the first bytes turned
/// out not to be HTTP/2.
/// </summary>
internal sealed class Http2PingWatch(PingTokenBucket bucket, Action onFlood)
{
    private readonly Http2FrameScanner scanner = new();
    private bool flooded;

    /// <summary>True once the connection went over its PING limit.</summary>
    public bool Flooded => flooded;

    /// <summary>The scanner's state (tests, diagnostics).</summary>
    public Http2FrameScannerState State => scanner.State;

    /// <summary>Observes the next inbound bytes (each byte once, in order).</summary>
    public void Observe(in ReadOnlySequence<byte> bytes)
    {
        if (flooded || scanner.State == Http2FrameScannerState.NotHttp2)
        {
            return;
        }

        var pings = scanner.Scan(bytes);
        if (pings > 0 && !bucket.TryTake(pings))
        {
            flooded = true;
            onFlood();
        }
    }
}
