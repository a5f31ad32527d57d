using System.Buffers;
using System.IO.Pipelines;
using GuardGateway.Server.Connections;
using GuardGateway.TestUtilities;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Server.IntegrationTests.Connections;

/// <summary>The pass-through reader of <see cref="Http2FrameRateGuard"/>: same bytes on, each byte observed once.</summary>
public sealed class ObservingPipeReaderTests
{
    private static byte[] Pings(int count, bool preface)
    {
        var b = new ArrayBufferWriter<byte>();
        if (preface)
        {
            b.Write(Http2Frames.Preface);
        }

        for (var i = 0; i < count; i++)
        {
            Http2Frames.PingFrame(b, i);
        }

        return b.WrittenSpan.ToArray();
    }

    private static (ObservingPipeReader Reader, Pipe Pipe, Func<int> Floods) Create(int burst)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var floods = 0;
        // No refill: the fake clock never moves, so exactly `burst` PINGs fit.
        var watch = new Http2PingWatch(new PingTokenBucket(new FakeTimeProvider(), 1, burst), () => floods++);
        return (new ObservingPipeReader(pipe.Reader, watch), pipe, () => floods);
    }

    [Fact]
    public async Task ReadAsync_ConsumerReReadsUnconsumedBytes_EachPingCountedOnce()
    {
        var (reader, pipe, floods) = Create(burst: 10);
        var bytes = Pings(10, preface: true);

        // A consumer that waits for everything: it examines each buffer, consumes nothing, and reads again.
        var passedOn = new List<byte[]>();
        for (var i = 0; i < bytes.Length; i += 7)
        {
            await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(7, bytes.Length - i)));
            var result = await reader.ReadAsync();
            passedOn.Add(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        Assert.Equal(bytes, passedOn[^1]);
        Assert.Equal(0, floods());

        // One more PING is over the burst of 10.
        await pipe.Writer.WriteAsync(Pings(1, preface: false));
        var last = await reader.ReadAsync();
        reader.AdvanceTo(last.Buffer.End);
        Assert.Equal(1, floods());
    }

    [Fact]
    public async Task ReadAsync_PartlyConsumed_CountsOnlyNewBytes()
    {
        var (reader, pipe, floods) = Create(burst: 3);
        var bytes = Pings(3, preface: true);
        await pipe.Writer.WriteAsync(bytes);

        // Consume the preface and the first PING, examine the rest, then read the rest again via TryRead.
        var result = await reader.ReadAsync();
        reader.AdvanceTo(result.Buffer.GetPosition(24 + 17), result.Buffer.End);
        await pipe.Writer.WriteAsync(new byte[] { 0, 0 });
        Assert.True(reader.TryRead(out var again));
        Assert.Equal(bytes.Skip(24 + 17).Concat(new byte[] { 0, 0 }), again.Buffer.ToArray());
        reader.AdvanceTo(again.Buffer.End);

        Assert.Equal(0, floods());
    }

    [Fact]
    public async Task ReadAsync_NotHttp2_NeverAborts()
    {
        var (reader, pipe, floods) = Create(burst: 1);
        await pipe.Writer.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        await pipe.Writer.WriteAsync(Pings(50, preface: true));
        pipe.Writer.Complete();

        while (true)
        {
            var result = await reader.ReadAsync();
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(0, floods());
    }

    [Fact]
    public async Task ReadAsync_ManyReadsOfBufferedFrames_AllocatesNothing()
    {
        var (reader, pipe, floods) = Create(burst: 1_000_000);
        var bytes = Pings(20_000, preface: true);
        await pipe.Writer.WriteAsync(bytes.AsMemory(0, 1_000));
        await ReadInPiecesAsync(reader, 1_000); // warm-up (JIT)
        await pipe.Writer.WriteAsync(bytes.AsMemory(1_000));

        var before = GC.GetAllocatedBytesForCurrentThread();
        await ReadInPiecesAsync(reader, bytes.Length - 1_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, floods());
        // Any allocation per read is at least 24 bytes; a few KB once (pipe segments, tiering) are not per read.
        var reads = (bytes.Length - 1_000) / 100;
        Assert.True(allocated < reads * 8, $"{allocated} bytes allocated over {reads} reads");
    }

    /// <summary>Reads what is buffered consuming 100 bytes per read (the rest, already observed, is read again).</summary>
    private static async Task ReadInPiecesAsync(ObservingPipeReader reader, int length)
    {
        var left = length;
        while (left > 0)
        {
            var result = await reader.ReadAsync();
            var take = Math.Min(100, left);
            reader.AdvanceTo(result.Buffer.GetPosition(take));
            left -= take;
        }
    }

    [Fact]
    public void TokenBucket_BurstThenRefill_AllowsTheConfiguredRate()
    {
        var time = new FakeTimeProvider();
        var bucket = new PingTokenBucket(time, perSecond: 10, burst: 100);

        Assert.True(bucket.TryTake(100));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(bucket.TryTake(10));
        Assert.False(bucket.TryTake(1));
        time.Advance(TimeSpan.FromHours(1));
        Assert.True(bucket.TryTake(100));
        Assert.False(bucket.TryTake(1));
    }
}
