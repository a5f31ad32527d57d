using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GuardGateway.TestUtilities;

/// <summary>
/// A raw HTTP/2 client connection (prior knowledge, cleartext) on loopback: sends whatever frames a scenario builds and
/// reads the server's frames in the background, counting what matters for abuse (PING acks, RST_STREAM codes, GOAWAY,
/// response HEADERS) and answering SETTINGS with an ACK as the protocol requires.
/// </summary>
public sealed class RawHttp2Connection : IAsyncDisposable
{
    private readonly TcpClient client;
    private readonly Stream stream;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task reader;
    private readonly TaskCompletionSource settingsAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int pingAcks;
    private int refused;
    private int resets;
    private int responseHeaders;

    private RawHttp2Connection(TcpClient client)
    {
        this.client = client;
        stream = client.GetStream();
        reader = Task.Run(ReadLoopAsync);
    }

    public int PingAcks => Volatile.Read(ref pingAcks);

    /// <summary>RST_STREAM frames with REFUSED_STREAM.</summary>
    public int Refused => Volatile.Read(ref refused);

    /// <summary>RST_STREAM frames with any code.</summary>
    public int Resets => Volatile.Read(ref resets);

    public int ResponseHeaders => Volatile.Read(ref responseHeaders);

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS the server announced (null: unlimited / not yet seen).</summary>
    public uint? ServerMaxStreams { get; private set; }

    public uint? GoAwayCode { get; private set; }

    /// <summary>Seconds after connecting when the server closed the connection (null: still open).</summary>
    public double? ClosedAfter { get; private set; }

    public bool IsClosed => ClosedAfter is not null;

    public static async Task<RawHttp2Connection> ConnectAsync(int port, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        var connection = new RawHttp2Connection(client);
        await connection.SendAsync(b =>
        {
            b.Write(Http2Frames.Preface);
            Http2Frames.EmptySettings(b);
        }, ct);
        // The server's SETTINGS must be acknowledged before a scenario starts: an ACK sent later could land between a
        // HEADERS frame and its CONTINUATION, which is a protocol error of this client, not a defence of the server.
        await Task.WhenAny(connection.settingsAcked.Task, connection.reader, Task.Delay(TimeSpan.FromSeconds(10), ct));
        return connection;
    }

    /// <summary>Builds frames and writes them in one write; false when the connection is gone.</summary>
    public async Task<bool> SendAsync(Action<ArrayBufferWriter<byte>> build, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        build(buffer);
        await writeLock.WaitAsync(ct);
        try
        {
            await stream.WriteAsync(buffer.WrittenMemory, ct);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Waits until the server closed the connection or the time is up; true when closed.</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan limit, CancellationToken ct)
    {
        await Task.WhenAny(reader, Task.Delay(limit, ct));
        return IsClosed;
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await reader;
        writeLock.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[9];
        var payload = new byte[1 << 16];
        try
        {
            using var buffered = new BufferedStream(stream, 1 << 16);
            while (true)
            {
                await buffered.ReadExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                if (length > payload.Length)
                {
                    payload = new byte[length];
                }

                await buffered.ReadExactlyAsync(payload.AsMemory(0, length));
                await OnFrameAsync(header[3], header[4], payload.AsMemory(0, length));
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or NotSupportedException or SocketException or OperationCanceledException)
        {
            ClosedAfter = clock.Elapsed.TotalSeconds;
        }
    }

    private async Task OnFrameAsync(byte type, byte flags, ReadOnlyMemory<byte> payload)
    {
        switch (type)
        {
            case Http2Frames.Settings when (flags & Http2Frames.Ack) == 0:
                for (var i = 0; i + 6 <= payload.Length; i += 6)
                {
                    if (BinaryPrimitives.ReadUInt16BigEndian(payload.Span[i..]) == 0x3)
                    {
                        ServerMaxStreams = BinaryPrimitives.ReadUInt32BigEndian(payload.Span[(i + 2)..]);
                    }
                }

                await SendAsync(Http2Frames.SettingsAck, CancellationToken.None);
                settingsAcked.TrySetResult();
                break;
            case Http2Frames.Ping when (flags & Http2Frames.Ack) != 0:
                Interlocked.Increment(ref pingAcks);
                break;
            case Http2Frames.RstStream:
                Interlocked.Increment(ref resets);
                if (BinaryPrimitives.ReadUInt32BigEndian(payload.Span) == Http2Frames.RefusedStream)
                {
                    Interlocked.Increment(ref refused);
                }

                break;
            case Http2Frames.GoAway:
                GoAwayCode ??= BinaryPrimitives.ReadUInt32BigEndian(payload.Span[4..]);
                break;
            case Http2Frames.Headers:
                Interlocked.Increment(ref responseHeaders);
                break;
        }
    }
}
