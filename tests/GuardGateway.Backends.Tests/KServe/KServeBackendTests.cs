using System.Text;
using Grpc.Core;
using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Fakes.KServe;
using GuardGateway.Backends.KServe;
using GuardGateway.Backends.KServe.Protocol;
using GuardGateway.Backends.Tests.Fakes;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.Tests.KServe;

/// <summary>The KServe v2 backend against a real gRPC fake (Kestrel, HTTP/2) on loopback.</summary>
public sealed class KServeBackendTests : IAsyncLifetime
{
    private static readonly TimeSpan ServerObservesWithin = TimeSpan.FromSeconds(5);
    private FakeKServeServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeKServeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BackendHarness Harness(Action<BackendOptions>? configure = null) => BackendHarness.Create(_server.Url, BackendKind.KServe, configure);

    [Fact]
    public async Task CompleteAsync_BytesContents_SendsTensorsAndDecodesOutput()
    {
        _server.Unary = (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "Grüße 😀", raw: false));
        await using var harness = Harness();

        var completion = (await harness.Backend.CompleteAsync(TestRequests.Chat("Hi", requestId: "k-1") with { MaxTokens = 64 }, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("Grüße 😀", completion.Choices[0].Message!.Content);
        var (request, record, _, _) = Assert.Single(_server.Requests);
        Assert.Equal(("/inference.GRPCInferenceService/ModelInfer", "k-1", "k-1"), (record.Path, record.RequestId, request.Id));
        Assert.Empty(request.RawInputContents);
        var text = request.Inputs.Single(i => i.Name == "text_input");
        Assert.Equal("BYTES", text.Datatype);
        Assert.Equal([1, 1], text.Shape);
        Assert.Equal("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", text.Contents.BytesContents.Single().ToStringUtf8());
        Assert.Equal(64, request.Inputs.Single(i => i.Name == "max_tokens").Contents.IntContents.Single());
        Assert.False(request.Inputs.Single(i => i.Name == "stream").Contents.BoolContents.Single());
        Assert.Equal("text_output", request.Outputs.Single().Name);
    }

    [Fact]
    public async Task CompleteAsync_RawContents_SendsRawInputsAndDecodesRawOutput()
    {
        _server.Unary = (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "first", raw: true, "text_output", "second"));
        await using var harness = Harness(o => o.KServe.InputEncoding = KServeTensorEncoding.RawContents);

        var completion = (await harness.Backend.CompleteAsync(TestRequests.Completion("Once"), CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(["first", "second"], completion.Choices.Select(c => c.Text));
        var request = _server.Requests[0].Request;
        Assert.Equal(request.Inputs.Count, request.RawInputContents.Count);
        Assert.All(request.Inputs, i => Assert.Null(i.Contents));
        var text = KServeTensorCodec.DecodeRawBytes(request.RawInputContents[0].Memory, 1, out _)!;
        Assert.Equal("Once", Encoding.UTF8.GetString(text[0].Span));
        Assert.Equal(512, BitConverter.ToInt32(request.RawInputContents[1].Span));
        Assert.Equal(new byte[] { 0 }, request.RawInputContents[2].ToByteArray());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("wrong-name")]
    [InlineData("invalid-utf8")]
    [InlineData("count-mismatch")]
    public async Task CompleteAsync_MalformedOutputTensor_ProtocolError(string fault)
    {
        _server.Unary = (r, _, _) =>
        {
            var response = FakeKServeTensors.TextResponse(r.ModelName, "x", raw: true, fault == "wrong-name" ? "other" : "text_output");
            switch (fault)
            {
                case "truncated":
                    response.RawOutputContents[0] = Google.Protobuf.ByteString.CopyFrom(9, 0, 0, 0, 1);
                    break;
                case "invalid-utf8":
                    response.RawOutputContents[0] = KServeTensorCodec.EncodeRawBytes([new byte[] { 0xC3, 0x28 }]);
                    break;
                case "count-mismatch":
                    response.RawOutputContents.Add(Google.Protobuf.ByteString.Empty);
                    break;
            }

            return Task.FromResult(response);
        };
        await using var harness = Harness();

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendProtocolError, result.Error!.Code);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_ResponseOverMessageSizeLimit_ProtocolErrorNotRetried()
    {
        _server.Unary = (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, new string('x', 4096), raw: false));
        await using var harness = Harness(o => o.MaxResponseBytes = 2048);

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendProtocolError, result.Error!.Code);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_UnavailableBeforeAnyResponse_Retried()
    {
        _server.Unary = (r, n, _) => n == 1
            ? throw new RpcException(new Status(StatusCode.Unavailable, "warming up"))
            : Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "ok", raw: false));
        await using var harness = Harness();

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(2, _server.RequestCount);
        Assert.Equal("ok", result.GetValueOrThrow().Choices[0].Message!.Content);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, GuardErrorCode.BackendRejected)]
    [InlineData(StatusCode.PermissionDenied, GuardErrorCode.BackendRejected)]
    [InlineData(StatusCode.ResourceExhausted, GuardErrorCode.BackendOverloaded)]
    [InlineData(StatusCode.Internal, GuardErrorCode.BackendUnavailable)]
    public async Task CompleteAsync_NonRetryableStatus_OneAttempt(StatusCode status, GuardErrorCode expected)
    {
        _server.Unary = (_, _, _) => throw new RpcException(new Status(status, "input 'CANARY' refused"));
        await using var harness = Harness();

        var result = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(expected, result.Error!.Code);
        Assert.DoesNotContain("CANARY", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task StreamAsync_DecoupledResponsesSplittingACodePoint_DeltasThenStopAndCompleted()
    {
        var emoji = Encoding.UTF8.GetBytes("😀");
        _server.Stream = async (r, w, c) =>
        {
            await w.WriteAsync(FakeKServeTensors.StreamPiece(Encoding.UTF8.GetBytes("Hi ")));
            await w.WriteAsync(FakeKServeTensors.StreamPiece(emoji[..2]));
            await w.WriteAsync(FakeKServeTensors.StreamPiece(emoji[2..]));
            await w.WriteAsync(new ModelStreamInferResponse
            {
                InferResponse = new ModelInferResponse { Parameters = { ["triton_final_response"] = new InferParameter { BoolParam = true } } },
            });
        };
        await using var harness = Harness();

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.IsType<ChatStreamCompleted>(events[^1]);
        Assert.Equal("Hi 😀", TestRequests.Texts(events)[0]);
        var chunks = events.OfType<ChatStreamChunkEvent>().Select(e => e.Chunk.Choices[0]).ToList();
        Assert.Equal(ChatMessageRole.Assistant, chunks[0].Delta!.Role);
        Assert.Equal(FinishReasons.Stop, chunks[^1].FinishReason);
        var request = _server.Requests[0].Request;
        Assert.True(request.Inputs.Single(i => i.Name == "stream").Contents.BoolContents.Single());
        Assert.True(request.Parameters["triton_enable_empty_final_response"].BoolParam);
        Assert.Equal("/inference.GRPCInferenceService/ModelStreamInfer", _server.Requests[0].Record.Path);
    }

    [Fact]
    public async Task StreamAsync_ErrorMessageMidStream_FailsWithoutTheMessageText()
    {
        _server.Stream = async (r, w, c) =>
        {
            await w.WriteAsync(FakeKServeTensors.StreamPiece("a"u8.ToArray()));
            await w.WriteAsync(new ModelStreamInferResponse { ErrorMessage = "engine failed on CANARY" });
        };
        await using var harness = Harness();

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var failed = Assert.IsType<ChatStreamFailed>((await TestRequests.DrainAsync(session))[^1]);

        Assert.Equal(GuardErrorCode.BackendUnavailable, failed.Error.Code);
        Assert.DoesNotContain("CANARY", failed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_UnavailableAfterFirstResponse_FailsWithoutRetry()
    {
        _server.Stream = async (r, w, c) =>
        {
            await w.WriteAsync(FakeKServeTensors.StreamPiece("a"u8.ToArray()));
            throw new RpcException(new Status(StatusCode.Unavailable, "gone"));
        };
        await using var harness = Harness();

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.Equal(GuardErrorCode.BackendUnavailable, Assert.IsType<ChatStreamFailed>(events[^1]).Error.Code);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task StreamAsync_UnavailableBeforeHeaders_RetriedThenStreams()
    {
        var calls = 0;
        _server.Stream = async (r, w, c) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "not yet"));
            }

            await w.WriteAsync(FakeKServeTensors.StreamPiece("ok"u8.ToArray(), final: true));
        };
        await using var harness = Harness();

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var events = await TestRequests.DrainAsync(session);

        Assert.IsType<ChatStreamCompleted>(events[^1]);
        Assert.Equal("ok", TestRequests.Texts(events)[0]);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task StreamAsync_CallerCancelsMidStream_ServerObservesCancellation()
    {
        _server.Stream = async (r, w, c) =>
        {
            await w.WriteAsync(FakeKServeTensors.StreamPiece("a"u8.ToArray()));
            await Task.Delay(Timeout.Infinite, c.CancellationToken);
        };
        await using var harness = Harness();
        using var cts = new CancellationTokenSource();

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), cts.Token)).GetValueOrThrow();
        await using var events = session.Events.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var next = events.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        Assert.True(await next.WaitAsync(ServerObservesWithin));
        Assert.Equal(GuardErrorCode.Cancelled, Assert.IsType<ChatStreamFailed>(events.Current).Error.Code);
        await _server.Requests[0].Record.Aborted.Task.WaitAsync(ServerObservesWithin);
    }

    [Fact]
    public async Task CompleteAsync_ServerHangs_AttemptTimeoutOnFakeClockAndServerSeesCancellation()
    {
        _server.Unary = async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };

        await AssertAttemptTimeoutOnFakeClockAsync(backend => backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None));
    }

    [Fact]
    public async Task CompleteAndStream_NothingListening_PromptUnavailable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var harness = BackendHarness.Create($"http://127.0.0.1:{port}", BackendKind.KServe);

        var unary = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None).WaitAsync(ServerObservesWithin);
        var stream = await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None).WaitAsync(ServerObservesWithin);

        Assert.Equal(GuardErrorCode.BackendUnavailable, unary.Error!.Code);
        Assert.Equal(GuardErrorCode.BackendUnavailable, stream.Error!.Code);
    }

    [Fact]
    public async Task StreamAsync_NoFirstResponse_AttemptTimeoutOnFakeClockNotRetried()
    {
        _server.Stream = async (r, w, c) => await Task.Delay(Timeout.Infinite, c.CancellationToken);

        await AssertAttemptTimeoutOnFakeClockAsync(backend => backend.StreamAsync(TestRequests.Chat(), CancellationToken.None));
    }

    [Fact]
    public async Task CompleteAsync_UnsupportedRequests_RejectedWithoutUpstreamCall()
    {
        await using var harness = Harness();
        ChatCompletionRequest[] requests =
        [
            TestRequests.Chat() with { ChoiceCount = 2 },
            TestRequests.Completion() with { Prompt = CompletionPrompt.FromTokenIds([1, 2]) },
            TestRequests.Chat() with { AdditionalProperties = new Dictionary<string, System.Text.Json.JsonElement> { ["tools"] = default } },
            TestRequests.Chat("<|eot_id|>"),
        ];

        foreach (var request in requests)
        {
            Assert.Equal(GuardErrorCode.InvalidRequest, (await harness.Backend.CompleteAsync(request, CancellationToken.None)).Error!.Code);
        }

        Assert.Equal(0, _server.RequestCount);
    }

    /// <summary>
    /// Starts a call with a 5 s attempt timeout on a fake clock, waits until it reaches the server, then advances the clock a
    /// second at a time: the call must fail with a timeout after one attempt, and the server must see the cancellation.
    /// </summary>
    private async Task AssertAttemptTimeoutOnFakeClockAsync<T>(Func<IChatBackend, Task<Result<T>>> start)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.KServe, o => o.AttemptTimeout = TimeSpan.FromSeconds(5), time);

        var call = start(harness.Backend);
        var request = await _server.WaitForRequestAsync(1);
        for (var i = 0; i < 200 && !call.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(call, Task.Delay(25));
        }

        Assert.Equal(GuardErrorCode.BackendTimeout, (await call.WaitAsync(ServerObservesWithin)).Error!.Code);
        await request.Aborted.Task.WaitAsync(ServerObservesWithin);
        Assert.Equal(1, _server.RequestCount);
    }
}
