using System.Net;
using System.Text;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>SSE through the gateway: verify-then-release, broken upstreams and cancellation (RELIABILITY.md T2, T3, T10).</summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task ChatStream_Benign_AllTextReleasedAndCleanDone()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => FakeScript.SseText(Payloads.ChatStream("The sky ", "is blue. ", "Grass is green."), pieceBytes: 7);

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Colors?", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var data = SseData(await response.Content.ReadAsStringAsync());
        Assert.Equal("The sky is blue. Grass is green.", StreamedContent(data));
        Assert.Equal(["stop"], StreamedFinishReasons(data));
        Assert.Equal("[DONE]", data[^1]);
        Assert.Contains(data, d => d.Contains("\"moderation\"", StringComparison.Ordinal));
        using var forwarded = gateway.Upstream.Requests[0].Json();
        Assert.True(forwarded.RootElement.GetProperty("stream").GetBoolean());
        var metrics = await gateway.Host.Http.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("guardgateway_stream_streams_total{", StringComparison.Ordinal) && l.Contains("completed", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains("guardgateway_stream_first_release_delay_seconds_count", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatStream_TriggerSplitAcrossChunks_ContentFilterAndNeverReleased()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => FakeScript.SseText(Payloads.ChatStream("Fine start. ", "then cana", "ry-vio", "lence happens", " and more."), pieceBytes: 5);

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Story?", stream: true));

        var text = await response.Content.ReadAsStringAsync();
        var data = SseData(text);
        var released = StreamedContent(data);
        Assert.DoesNotContain("canary-violence", released, StringComparison.Ordinal);
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        Assert.Contains("content_filter", StreamedFinishReasons(data));
        Assert.DoesNotContain("stop", StreamedFinishReasons(data));
    }

    [Fact]
    public async Task ChatStream_MalformedUpstreamMidStream_ErrorNotCleanFinish()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        var sse = "data: " + Payloads.ChatChunk(0, "", role: "assistant") + "\n\n"
            + "data: " + Payloads.ChatChunk(0, "A first sentence that is long enough to be checked and released early. ") + "\n\n"
            + "data: {not json\n\n";
        gateway.Upstream.Script = _ => FakeScript.SseText(sse);

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hi", stream: true));

        await AssertStreamEndedInErrorAsync(response);
    }

    [Fact]
    public async Task ChatStream_UpstreamCutBeforeDone_ErrorNotCleanFinish()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => FakeScript.SseText(Payloads.Sse([Payloads.ChatChunk(0, "Half an answer", role: "assistant")], done: false));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hi", stream: true));

        if (await AssertStreamEndedInErrorAsync(response) is { } body)
        {
            using var error = System.Text.Json.JsonDocument.Parse(body);
            Assert.Equal("backend_protocol_error", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task ChatStream_ClientCancels_CancellationReachesBackend()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        var pieces = new List<byte[]>
        {
            Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "", role: "assistant") + "\n\n"),
            Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "A first sentence that is long enough to be checked. ") + "\n\n"),
        };
        gateway.Upstream.Script = _ => new FakeScript.Sse(pieces, HangAtEnd: true);
        using var cancel = new CancellationTokenSource();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hi", stream: true), cancellationToken: cancel.Token);
        var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer, cancel.Token) > 0);
        var upstream = await gateway.Upstream.WaitForRequestAsync(1);
        await cancel.CancelAsync();
        response.Dispose();

        await upstream.Aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ChatStream_UpstreamPausesAfterAVerifiedSentence_SentenceReachesTheClientDuringThePause()
    {
        // No look-ahead in the SSE front: a released chunk is written at once, not when the next event comes.
        await using var gateway = await ProxyGateway.StartAsync(configuration: new() { ["Backends:0:StreamIdleTimeout"] = "00:02:00" });
        const string Sentence = "A first sentence that is long enough to be checked. ";
        var pieces = new List<byte[]>
        {
            Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "", role: "assistant") + "\n\n"),
            Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, Sentence) + "\n\n"),
        };
        gateway.Upstream.Script = _ => new FakeScript.Sse(pieces, HangAtEnd: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hi", stream: true), cancellationToken: timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        List<string> data = [];
        while (StreamedContent(data) != Sentence)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
        }

        var upstream = await gateway.Upstream.WaitForRequestAsync(1);
        Assert.False(upstream.Aborted.Task.IsCompleted);
        Assert.Empty(StreamedFinishReasons(data));
    }

    [Fact]
    public async Task ChatStream_InputBlocked_ContentFilterStreamWithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("canary-violence", stream: true));

        var data = SseData(await response.Content.ReadAsStringAsync());
        Assert.Equal("Blocked by test policy.", StreamedContent(data));
        Assert.Equal(["content_filter"], StreamedFinishReasons(data));
        Assert.Equal("[DONE]", data[^1]);
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    /// <summary>
    /// A stream that failed ends with an error, never as a clean finish: after released text, an error event with no
    /// <c>[DONE]</c> and no <c>stop</c>; before any, a 502. Returns the 502's body, or null when the stream had started.
    /// </summary>
    private static async Task<string?> AssertStreamEndedInErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var data = SseData(body);
            Assert.DoesNotContain("[DONE]", data);
            Assert.DoesNotContain("stop", StreamedFinishReasons(data));
            Assert.Contains("\"error\"", data[^1], StringComparison.Ordinal);
            return null;
        }

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        return body;
    }
}
