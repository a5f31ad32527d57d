using System.Buffers;
using System.Text;
using CsCheck;
using GuardGateway.Server.Connections;
using GuardGateway.TestUtilities;

namespace GuardGateway.Server.IntegrationTests.Connections;

/// <summary>The HTTP/2 frame scanner of <see cref="Http2FrameRateGuard"/> (RELIABILITY.md T14).</summary>
public sealed class Http2FrameScannerTests
{
    /// <summary>Preface, SETTINGS, PING, PING ACK, a 70,000-byte DATA, HEADERS, PING: 2 PINGs to count, 6 frames.</summary>
    private static byte[] Mixed()
    {
        var b = new ArrayBufferWriter<byte>();
        b.Write(Http2Frames.Preface);
        Http2Frames.EmptySettings(b);
        Http2Frames.PingFrame(b, 1);
        Http2Frames.PingFrame(b, 2, ack: true);
        Http2Frames.Frame(b, Http2Frames.Data, 0, 1, PingLookalikes(70_000));
        Http2Frames.Frame(b, Http2Frames.Headers, Http2Frames.EndHeaders, 3, [0x82, 0x86]);
        Http2Frames.PingFrame(b, 3);
        return b.WrittenSpan.ToArray();
    }

    /// <summary>Bytes that are PING frames if parsed as frames (inside a payload they must not count).</summary>
    private static byte[] PingLookalikes(int length)
    {
        var b = new ArrayBufferWriter<byte>();
        while (b.WrittenCount < length)
        {
            Http2Frames.PingFrame(b, 7);
        }

        return b.WrittenSpan[..length].ToArray();
    }

    [Fact]
    public void Scan_WholeConnection_CountsPingsWithoutAck()
    {
        var scanner = new Http2FrameScanner();

        Assert.Equal(2, scanner.Scan(Mixed()));
        Assert.Equal(6, scanner.Frames);
        Assert.Equal(Http2FrameScannerState.Frames, scanner.State);
    }

    [Fact]
    public void Scan_SplitAtEveryByteBoundary_SameCounts()
    {
        var bytes = Mixed();
        for (var split = 0; split <= bytes.Length; split++)
        {
            var scanner = new Http2FrameScanner();
            var pings = scanner.Scan(bytes.AsSpan(0, split)) + scanner.Scan(bytes.AsSpan(split));
            Assert.Equal(2, pings);
            Assert.Equal(6, scanner.Frames);
        }
    }

    [Fact]
    public void Scan_OneByteAtATime_SameCounts()
    {
        var bytes = Mixed();
        var scanner = new Http2FrameScanner();
        var pings = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            pings += scanner.Scan(bytes.AsSpan(i, 1));
        }

        Assert.Equal(2, pings);
        Assert.Equal(6, scanner.Frames);
    }

    [Fact]
    public void Scan_PingAcks_NotCounted()
    {
        var b = new ArrayBufferWriter<byte>();
        b.Write(Http2Frames.Preface);
        for (var i = 0; i < 50; i++)
        {
            Http2Frames.PingFrame(b, i, ack: true);
        }

        var scanner = new Http2FrameScanner();
        Assert.Equal(0, scanner.Scan(b.WrittenSpan));
        Assert.Equal(50, scanner.Frames);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("PRI * HTTP/1.1\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fc\u0003\u0003")]
    public void Scan_NotThePreface_PassedThroughUnparsed(string start)
    {
        var b = new ArrayBufferWriter<byte>();
        b.Write(Encoding.Latin1.GetBytes(start));
        for (var i = 0; i < 20; i++)
        {
            Http2Frames.PingFrame(b, i);
        }

        var scanner = new Http2FrameScanner();
        Assert.Equal(0, scanner.Scan(b.WrittenSpan));
        Assert.Equal(Http2FrameScannerState.NotHttp2, scanner.State);
        Assert.Equal(0, scanner.Frames);
    }

    [Fact]
    public void Scan_PrefaceSplitThenMismatch_NotHttp2()
    {
        var scanner = new Http2FrameScanner();

        Assert.Equal(0, scanner.Scan("PRI * HT"u8));
        Assert.Equal(Http2FrameScannerState.Preface, scanner.State);
        Assert.Equal(0, scanner.Scan("TP/1.1\r\n"u8));
        Assert.Equal(Http2FrameScannerState.NotHttp2, scanner.State);
    }

    [Fact]
    public void Scan_MultiSegmentSequence_SameAsOneSpan()
    {
        var bytes = Mixed();
        var sequence = Segments.Split(bytes, [1, 24, 30, 40, 41, 1000, bytes.Length - 5]);

        var scanner = new Http2FrameScanner();
        Assert.Equal(2, scanner.Scan(sequence));
        Assert.Equal(6, scanner.Frames);
    }

    private static readonly Gen<(byte Type, byte Flags, int Length)> FrameGen =
        Gen.Select(Gen.Byte[0, 10], Gen.Byte, Gen.OneOf(Gen.Int[0, 40], Gen.Int[0, 20_000]));

    [Fact]
    public void Scan_RandomFramesRandomSplits_CountsMatchTheModel()
    {
        Gen.Select(FrameGen.Array[0, 60], Gen.Int[0, int.MaxValue].Array[0, 30]).Sample(c =>
        {
            var (frames, cuts) = c;
            var b = new ArrayBufferWriter<byte>();
            b.Write(Http2Frames.Preface);
            var expected = 0;
            foreach (var (type, flags, length) in frames)
            {
                // Payloads made of PING lookalikes: a scanner that lost its place would count them.
                Http2Frames.Frame(b, type, flags, 1, PingLookalikes(length));
                expected += type == Http2Frames.Ping && (flags & Http2Frames.Ack) == 0 ? 1 : 0;
            }

            var bytes = b.WrittenSpan.ToArray();
            var positions = cuts.Select(x => x % (bytes.Length + 1)).Order().ToArray();
            var scanner = new Http2FrameScanner();
            var pings = 0;
            var start = 0;
            foreach (var end in positions.Append(bytes.Length))
            {
                pings += scanner.Scan(bytes.AsSpan(start, end - start));
                start = end;
            }

            Assert.Equal(expected, pings);
            Assert.Equal(frames.Length, scanner.Frames);
            Assert.Equal(expected, new Http2FrameScanner().Scan(Segments.Split(bytes, positions)));
        }, iter: 300);
    }
}
