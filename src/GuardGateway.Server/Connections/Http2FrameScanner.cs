using System.Buffers;

namespace GuardGateway.Server.Connections;

/// <summary>
/// Follows the HTTP/2 framing of a connection's inbound bytes (RFC 9113 §3.4, §4.1) without buffering or copying:
/// the 24-byte client preface, then 9-byte frame headers (24-bit length, type, flags, stream id) whose payloads are
/// skipped. Bytes may arrive split at any point. Counts PING frames without the ACK flag. A connection whose first
/// bytes are not the preface (HTTP/1.1, TLS ciphertext) is <see cref="Http2FrameScannerState.NotHttp2"/> and every
/// later byte is ignored.
/// </summary>
internal sealed class Http2FrameScanner
{
    private const byte PingType = 0x6;
    private const byte AckFlag = 0x1;
    private const int FrameHeaderLength = 9;

    private int prefaceMatched;
    private int headerRead;
    private int length;
    private byte type;
    private long payloadLeft;
    private int pingsInScan;

    /// <summary>The client connection preface (RFC 9113 §3.4).</summary>
    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Where the scanner is.</summary>
    public Http2FrameScannerState State { get; private set; } = Http2FrameScannerState.Preface;

    /// <summary>Frames whose header was read completely, of any type.</summary>
    public long Frames { get; private set; }

    /// <summary>Scans the next bytes of the connection; returns the PING frames (without ACK) whose header they completed.</summary>
    public int Scan(in ReadOnlySequence<byte> bytes)
    {
        if (bytes.IsSingleSegment)
        {
            return Scan(bytes.FirstSpan);
        }

        var pings = 0;
        foreach (var segment in bytes)
        {
            pings += Scan(segment.Span);
        }

        return pings;
    }

    /// <summary>Scans the next bytes of the connection; returns the PING frames (without ACK) whose header they completed.</summary>
    public int Scan(ReadOnlySpan<byte> bytes)
    {
        pingsInScan = 0;
        while (!bytes.IsEmpty)
        {
            switch (State)
            {
                case Http2FrameScannerState.Frames:
                    bytes = ScanFrames(bytes);
                    break;
                case Http2FrameScannerState.Preface:
                    bytes = ScanPreface(bytes);
                    break;
                default:
                    return pingsInScan;
            }
        }

        return pingsInScan;
    }

    private ReadOnlySpan<byte> ScanPreface(ReadOnlySpan<byte> bytes)
    {
        var take = Math.Min(bytes.Length, Preface.Length - prefaceMatched);
        if (!bytes[..take].SequenceEqual(Preface.Slice(prefaceMatched, take)))
        {
            State = Http2FrameScannerState.NotHttp2;
            return [];
        }

        prefaceMatched += take;
        if (prefaceMatched == Preface.Length)
        {
            State = Http2FrameScannerState.Frames;
        }

        return bytes[take..];
    }

    private ReadOnlySpan<byte> ScanFrames(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            if (headerRead == 0)
            {
                if (payloadLeft > 0)
                {
                    if (payloadLeft >= bytes.Length)
                    {
                        payloadLeft -= bytes.Length;
                        return [];
                    }

                    bytes = bytes[(int)payloadLeft..];
                    payloadLeft = 0;
                }

                if (bytes.Length >= FrameHeaderLength)
                {
                    // The common case: a whole header in this read.
                    OnHeader((bytes[0] << 16) | (bytes[1] << 8) | bytes[2], bytes[3], bytes[4]);
                    bytes = bytes[FrameHeaderLength..];
                    continue;
                }
            }

            // A header split across reads: byte by byte (its payload is skipped only once the header is complete).
            while (headerRead < FrameHeaderLength)
            {
                if (bytes.IsEmpty)
                {
                    return [];
                }

                var b = bytes[0];
                bytes = bytes[1..];
                switch (headerRead++)
                {
                    case 0:
                    case 1:
                    case 2:
                        length = (length << 8) | b;
                        break;
                    case 3:
                        type = b;
                        break;
                    case 4:
                        OnHeader(length, type, b);
                        break;
                    default:
                        // Stream id: not needed.
                        break;
                }
            }

            headerRead = 0;
            length = 0;
        }
    }

    private void OnHeader(int frameLength, byte frameType, byte flags)
    {
        Frames++;
        payloadLeft = frameLength;
        if (frameType == PingType && (flags & AckFlag) == 0)
        {
            pingsInScan++;
        }
    }
}
