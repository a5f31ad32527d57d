using System.Text;
using CsCheck;
using GuardGateway.Backends.Sse;

namespace GuardGateway.Backends.Tests.Sse;

public sealed class SseParserTests
{
    private static List<(string? Type, string Data)> Parse(IEnumerable<byte[]> chunks, out string? error, int maxLine = 1024, int maxEvent = 4096)
    {
        using var parser = new SseParser(maxLine, maxEvent);
        var events = new List<SseEvent>();
        error = null;
        foreach (var chunk in chunks)
        {
            error = parser.Feed(chunk, events);
            if (error is not null)
            {
                break;
            }
        }

        return events.Select(e => (e.EventType, Encoding.UTF8.GetString(e.Data))).ToList();
    }

    private static List<(string? Type, string Data)> Parse(string text) => Parse([Encoding.UTF8.GetBytes(text)], out _);

    [Fact]
    public void Feed_DataEventsAndDone_DispatchesEachOnBlankLine()
    {
        var events = Parse("data: {\"a\":1}\n\ndata: [DONE]\n\n");

        Assert.Equal([(null, "{\"a\":1}"), (null, "[DONE]")], events);
    }

    [Fact]
    public void Feed_MultiLineData_JoinsLinesWithNewline()
    {
        Assert.Equal([(null, "one\ntwo\n")], Parse("data: one\ndata:two\ndata\n\n"));
    }

    [Fact]
    public void Feed_CommentsRetryIdAndUnknownFields_IgnoredButIdKept()
    {
        using var parser = new SseParser(1024, 4096);
        var events = new List<SseEvent>();

        parser.Feed(": keep-alive\nretry: 10\nfoo: bar\nid: 7\nevent: error\ndata:  x\n\n: only a comment\n\n"u8, events);

        var single = Assert.Single(events);
        Assert.Equal("error", single.EventType);
        Assert.Equal("7", single.LastEventId);
        Assert.Equal(" x", Encoding.UTF8.GetString(single.Data)); // only one space after the colon is dropped
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Feed_AnyLineEnding_SameEvents(string lineEnd)
    {
        var text = $"data: a{lineEnd}data: b{lineEnd}{lineEnd}data: c{lineEnd}{lineEnd}";

        Assert.Equal([(null, "a\nb"), (null, "c")], Parse(text));
    }

    [Fact]
    public void Feed_CrAtChunkEndAndLfAtNextStart_CountsAsOneLineEnd()
    {
        var events = Parse(["data: a\r"u8.ToArray(), "\n\r"u8.ToArray(), "\ndata: b\r\n\r\n"u8.ToArray()], out var error);

        Assert.Null(error);
        Assert.Equal([(null, "a"), (null, "b")], events);
    }

    [Fact]
    public void Feed_ByteOrderMarkSplitAcrossChunks_Skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat("data: x\n\n"u8.ToArray()).ToArray();

        var events = Parse(bytes.Select(b => new[] { b }), out var error);

        Assert.Null(error);
        Assert.Equal([(null, "x")], events);
    }

    [Fact]
    public void Feed_EveryByteSeparately_ChunkSplitInsideUtf8StillDecodes()
    {
        const string text = "data: {\"t\":\"héllo 😀 €\"}\r\n\r\ndata: [DONE]\r\n\r\n";

        var events = Parse(Encoding.UTF8.GetBytes(text).Select(b => new[] { b }), out var error);

        Assert.Null(error);
        Assert.Equal([(null, "{\"t\":\"héllo 😀 €\"}"), (null, "[DONE]")], events);
    }

    [Fact]
    public void Feed_LineOverLimit_ProtocolErrorAndStaysFailed()
    {
        using var parser = new SseParser(32, 64);
        var events = new List<SseEvent>();

        var first = parser.Feed(Encoding.UTF8.GetBytes("data: " + new string('x', 40)), events);
        var second = parser.Feed("\n\n"u8, events);

        Assert.NotNull(first);
        Assert.Contains("line", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Empty(events);
    }

    [Fact]
    public void Feed_EventOverLimitAcrossLines_ProtocolError()
    {
        var lines = string.Concat(Enumerable.Repeat("data: 0123456789012345678901234\n", 4));

        Parse([Encoding.UTF8.GetBytes(lines)], out var error, maxLine: 32, maxEvent: 64);

        Assert.NotNull(error);
        Assert.Contains("event", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HasPendingInput_UnterminatedEvent_True()
    {
        using var parser = new SseParser(1024, 4096);
        var events = new List<SseEvent>();

        parser.Feed("data: complete\n\ndata: cut"u8, events);

        Assert.Single(events);
        Assert.True(parser.HasPendingInput);
    }

    [Fact]
    public void Feed_AnySplitOfAValidStream_SameEventsAsExpected()
    {
        var line = Gen.OneOf("a", " lead", "é", "€", "😀", "{\"k\": [1, 2]}", ":colon", "data: nested", "").List[0, 4]
            .Select(parts => string.Concat(parts));
        var evt = Gen.Select(Gen.OneOf<string?>(null, "message", "error"), line.List[1, 3], Gen.Bool);
        var stream = Gen.Select(evt.List[1, 5], Gen.OneOf("\n", "\r\n", "\r"), Gen.Int[0, 1000].List[0, 12]);

        stream.Sample(sample =>
        {
            var (events, lineEnd, cuts) = sample;
            var text = new StringBuilder();
            foreach (var (type, dataLines, comment) in events)
            {
                if (comment)
                {
                    text.Append(": ping").Append(lineEnd);
                }

                if (type is not null)
                {
                    text.Append("event: ").Append(type).Append(lineEnd);
                }

                foreach (var data in dataLines)
                {
                    text.Append("data: ").Append(data).Append(lineEnd);
                }

                text.Append(lineEnd);
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            var points = cuts.Select(c => c % (bytes.Length + 1)).Append(0).Append(bytes.Length).Distinct().Order().ToList();
            var chunks = points.Zip(points.Skip(1), (a, b) => bytes[a..b]);

            var parsed = Parse(chunks, out var error, maxLine: 4096, maxEvent: 16384);

            Assert.Null(error);
            Assert.Equal(events.Select(e => (e.Item1, string.Join('\n', e.Item2))).ToList(), parsed);
        }, iter: 2000);
    }
}
