using System.Net;
using System.Net.Sockets;
using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Tests.Fakes;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.Tests.OpenAi;

/// <summary>The OpenAI-compatible backend against a real Kestrel fake on loopback: unary, streaming and failures.</summary>
public sealed class OpenAiBackendTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CompleteAsync_ChatRequest_ReturnsCompletionAndForwardsBodyAndRequestId()
    {
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat("Hi there", requestId: "req-42"), CancellationToken.None);

        var completion = result.GetValueOrThrow();
        Assert.Equal("hello", completion.Choices[0].Message!.Content);
        Assert.Equal(FinishReasons.Stop, completion.Choices[0].FinishReason);
        Assert.Equal(6, completion.Usage!.TotalTokens);
        Assert.True(completion.AdditionalProperties.ContainsKey("system_fingerprint"));
        var received = Assert.Single(_server.Requests);
        Assert.Equal(("/v1/chat/completions", "req-42"), (received.Path, received.RequestId));
        using var body = received.Json();
        Assert.Equal("Hi there", body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.False(body.RootElement.TryGetProperty("stream", out _));
    }

    [Fact]
    public async Task CompleteAsync_LegacyCompletion_PostsToCompletionsAndReturnsText()
    {
        _server.Script = _ => new FakeScript.Reply(200, Payloads.TextCompletion(" there was"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var completion = (await harness.Backend.CompleteAsync(TestRequests.Completion(), CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(" there was", completion.Choices[0].Text);
        Assert.Equal("/v1/completions", _server.Requests[0].Path);
    }

    [Fact]
    public async Task StreamAsync_TwoChoicesAndToolCallDeltas_YieldsChunksThenCompleted()
    {
        var toolChunk = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":1,"delta":{"tool_calls":[{"index":0,"id":"t","type":"function","function":{"name":"f","arguments":"{\"x\":"}}]},"finish_reason":null}]}""";
        _server.Script = _ => FakeScript.SseText(Payloads.Sse(
        [
            Payloads.ChatChunk(0, "", role: "assistant"), Payloads.ChatChunk(0, "Hel"), toolChunk, Payloads.ChatChunk(0, "lo", "stop"),
            Payloads.ChatChunk(1, null, "tool_calls"),
        ]));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.IsType<ChatStreamCompleted>(events[^1]);
        Assert.Equal(5, events.OfType<ChatStreamChunkEvent>().Count());
        Assert.Equal("Hello", TestRequests.Texts(events)[0]);
        var call = events.OfType<ChatStreamChunkEvent>().SelectMany(e => e.Chunk.Choices).Single(c => c.Index == 1 && c.Delta!.ToolCalls.Count > 0);
        Assert.Equal("{\"x\":", call.Delta!.ToolCalls[0].ArgumentsFragment);
        using var body = _server.Requests[0].Json();
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task StreamAsync_LegacyCompletion_TextChunksThenCompleted()
    {
        const string chunk = """{"id":"c","object":"text_completion","created":1,"model":"m","choices":[{"index":0,"text":"%T","logprobs":null,"finish_reason":%F}]}""";
        _server.Script = _ => FakeScript.SseText(Payloads.Sse([chunk.Replace("%T", " there", StringComparison.Ordinal).Replace("%F", "null", StringComparison.Ordinal),
            chunk.Replace("%T", " was", StringComparison.Ordinal).Replace("%F", "\"length\"", StringComparison.Ordinal)]));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Completion(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.IsType<ChatStreamCompleted>(events[^1]);
        Assert.Equal(" there was", TestRequests.Texts(events)[0]);
        Assert.Equal("/v1/completions", _server.Requests[0].Path);
    }

    [Fact]
    public async Task StreamAsync_ServerWritesOneByteAtATimeWithCrLf_SameChunks()
    {
        _server.Script = _ => FakeScript.SseText(Payloads.Sse([Payloads.ChatChunk(0, "Grüße 😀"), Payloads.ChatChunk(0, " €", "stop")], lineEnd: "\r\n"), pieceBytes: 1);
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.IsType<ChatStreamCompleted>(events[^1]);
        Assert.Equal("Grüße 😀 €", TestRequests.Texts(events)[0]);
    }

    [Fact]
    public async Task StreamAsync_MalformedJsonChunk_ChunksBeforeThenProtocolError()
    {
        _server.Script = _ => FakeScript.SseText(Payloads.Sse([Payloads.ChatChunk(0, "ok"), "{\"choices\": [", Payloads.ChatChunk(0, "never")]));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.Equal(2, events.Count);
        Assert.Equal(GuardErrorCode.BackendProtocolError, Assert.IsType<ChatStreamFailed>(events[1]).Error.Code);
    }

    [Fact]
    public async Task StreamAsync_ErrorEventMidStream_FailsUnavailable()
    {
        _server.Script = _ => FakeScript.SseText("data: " + Payloads.ChatChunk(0, "a") + "\n\ndata: " + Payloads.Error("engine_dead", "x") + "\n\n");
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var failed = Assert.IsType<ChatStreamFailed>((await TestRequests.DrainAsync(session))[^1]);

        Assert.Equal(GuardErrorCode.BackendUnavailable, failed.Error.Code);
        Assert.Contains("engine_dead", failed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_EndsWithoutDoneWhileChoiceOpen_ProtocolError()
    {
        _server.Script = _ => FakeScript.SseText(Payloads.Sse([Payloads.ChatChunk(0, "cut")], done: false));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var failed = Assert.IsType<ChatStreamFailed>((await TestRequests.DrainAsync(session))[^1]);

        Assert.Equal(GuardErrorCode.BackendProtocolError, failed.Error.Code);
    }

    [Fact]
    public async Task StreamAsync_EndsWithoutDoneAfterEveryChoiceFinished_Completed()
    {
        _server.Script = _ => FakeScript.SseText(Payloads.Sse([Payloads.ChatChunk(0, "done", "stop")], done: false));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();

        Assert.IsType<ChatStreamCompleted>((await TestRequests.DrainAsync(session))[^1]);
    }

    [Fact]
    public async Task StreamAsync_DisconnectMidStream_FailsUnavailableWithoutRetry()
    {
        var reset = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Script = _ => new FakeScript.Sse([System.Text.Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "partial") + "\n\n")], AbortAtEnd: true, AbortSignal: reset.Task);
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        await using var events = session.Events.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<ChatStreamChunkEvent>(events.Current);
        reset.SetResult();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(GuardErrorCode.BackendUnavailable, Assert.IsType<ChatStreamFailed>(events.Current).Error.Code);
        Assert.False(await events.MoveNextAsync());
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task StreamAsync_WrongContentType_ProtocolErrorWithoutRetry()
    {
        _server.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion("not a stream"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendProtocolError, result.Error!.Code);
        Assert.Equal(1, _server.RequestCount);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task CompleteAsync_GatewayErrorThenSuccess_RetriedOnce(int status)
    {
        _server.Script = r => r.Number == 1 ? new FakeScript.Reply(status, "") : new FakeScript.Reply(200, Payloads.ChatCompletion("second"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(requestId: "r1"), CancellationToken.None);

        Assert.Equal("second", result.GetValueOrThrow().Choices[0].Message!.Content);
        Assert.Equal(2, _server.RequestCount);
        Assert.All(_server.Requests, r => Assert.Equal("r1", r.RequestId));
    }

    [Fact]
    public async Task CompleteAsync_Always503_ThreeAttemptsThenUnavailable()
    {
        _server.Script = _ => new FakeScript.Reply(503, Payloads.Error("overloaded", "busy"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendUnavailable, result.Error!.Code);
        Assert.Contains("503", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.RequestCount);
    }

    [Theory]
    [InlineData(400, GuardErrorCode.BackendRejected)]
    [InlineData(401, GuardErrorCode.BackendRejected)]
    [InlineData(404, GuardErrorCode.BackendRejected)]
    [InlineData(429, GuardErrorCode.BackendOverloaded)]
    [InlineData(500, GuardErrorCode.BackendUnavailable)]
    public async Task CompleteAsync_NonRetryableStatus_OneAttemptAndMappedError(int status, GuardErrorCode expected)
    {
        _server.Script = _ => new FakeScript.Reply(status, Payloads.Error("invalid_request_error", "prompt CANARY-TEXT rejected"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(expected, result.Error!.Code);
        Assert.DoesNotContain("CANARY-TEXT", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task StreamAsync_503BeforeBody_RetriedThenStreams()
    {
        _server.Script = r => r.Number == 1
            ? new FakeScript.Reply(503, "")
            : FakeScript.SseText(Payloads.Sse([Payloads.ChatChunk(0, "ok", "stop")]));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();

        Assert.IsType<ChatStreamCompleted>((await TestRequests.DrainAsync(session))[^1]);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_ConnectionResetAfterRequestSent_NotRetried()
    {
        _server.Script = _ => new FakeScript.AbortBeforeHeaders();
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendUnavailable, result.Error!.Code);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_BodyCutAfterFirstBytes_NotRetried()
    {
        _server.Script = _ => new FakeScript.AbortMidBody("{\"id\":\"x\",\"choi", DeclaredLength: 500);
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendUnavailable, result.Error!.Code);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_ConnectionRefused_PromptUnavailable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var harness = BackendHarness.Create($"http://127.0.0.1:{port}", BackendKind.OpenAi);
        var started = TimeProvider.System.GetTimestamp();

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendUnavailable, result.Error!.Code);
        Assert.Contains("could not be reached", result.Error.Message, StringComparison.Ordinal);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task CompleteAsync_ResponseOverSizeLimit_ProtocolError()
    {
        _server.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion(new string('x', 5000)));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.MaxResponseBytes = 2048);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendProtocolError, result.Error!.Code);
    }

    [Fact]
    public async Task CompleteAsync_InvalidRequest_NoUpstreamCall()
    {
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);

        var result = await harness.Backend.CompleteAsync(new ChatCompletionRequest { Model = "m" }, CancellationToken.None);

        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error!.Code);
        Assert.Equal(0, _server.RequestCount);
    }
}
