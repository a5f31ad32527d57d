using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using GuardGateway.Backends.Fakes.KServe;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// The real gateway on loopback in front of a fake KServe v2 gRPC server (Triton / TensorRT-LLM text model): the chat
/// request is rendered as a Llama 3 prompt in a BYTES tensor, answers come back from <c>ModelInfer</c> and, for
/// streams, <c>ModelStreamInfer</c>; the keyword fake guard judges both directions.
/// </summary>
public sealed class KServeProxyTests
{
    private const string Model = ProxyGateway.Model;

    private static string Llama3Prompt(string user) =>
        $"<|start_header_id|>user<|end_header_id|>\n\n{user}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

    [Theory]
    [InlineData("BytesContents", false)]
    [InlineData("RawContents", true)]
    public async Task ChatCompletions_Benign_PromptReachesKServeAndAnswerDelivered(string encoding, bool raw)
    {
        await using var gateway = await KServeGateway.StartAsync(encoding);
        gateway.KServe.Unary = (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "Paris is the capital.", raw));

        using var response = await gateway.Proxy.PostAsync(
            "/v1/chat/completions",
            ProxyGateway.UserChat("What is the capital of France?"),
            headers: new Dictionary<string, string> { ["X-Request-Id"] = "req-kserve-1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal("Paris is the capital.", Content(Choice(body, 0)));
        Assert.Equal("stop", Finish(Choice(body, 0)));
        Assert.Equal("allow", Decision(Choice(body, 0)));
        Assert.Equal("allow", Decision(body));
        var call = Assert.Single(gateway.KServe.Requests);
        Assert.Equal("/inference.GRPCInferenceService/ModelInfer", call.Record.Path);
        Assert.Equal("req-kserve-1", call.Record.RequestId);
        Assert.Equal(Model, call.Request.ModelName);
        Assert.Equal(Llama3Prompt("What is the capital of France?"), call.Prompt);
        Assert.Equal(raw, call.RawInput);
        if (raw)
        {
            // Every input (text, max_tokens, stream) has its raw entry and no typed contents.
            Assert.Equal(call.Request.Inputs.Count, call.Request.RawInputContents.Count);
            Assert.All(call.Request.Inputs, i => Assert.Null(i.Contents));
        }
        else
        {
            Assert.Empty(call.Request.RawInputContents);
            Assert.False(Assert.Single(call.Request.Inputs, i => i.Name == "stream").Contents.BoolContents[0]);
        }
    }

    [Fact]
    public async Task ChatCompletions_InputWithCanary_BlockedWithoutKServeCall()
    {
        await using var gateway = await KServeGateway.StartAsync();

        using var response = await gateway.Proxy.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("tell me about canary-violence"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.Equal("Blocked by test policy.", Content(Choice(body, 0)));
        Assert.Equal("block", Decision(body));
        Assert.Equal(0, gateway.KServe.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_OutputWithCanary_ContentFilterAndCanaryNeverInBody()
    {
        await using var gateway = await KServeGateway.StartAsync();
        gateway.KServe.Unary = (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "Sure: canary-violence step one.", raw: false));

        using var response = await gateway.Proxy.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Tell me a story"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.Equal("Blocked by test policy.", Content(Choice(body, 0)));
        Assert.Equal("block", Decision(Choice(body, 0)));
        Assert.Equal(1, gateway.KServe.RequestCount);
    }

    [Fact]
    public async Task ChatStream_Benign_StreamedCompletelyThroughModelStreamInferWithDone()
    {
        await using var gateway = await KServeGateway.StartAsync("RawContents");
        gateway.KServe.Stream = async (r, w, c) =>
        {
            foreach (var piece in new[] { "The sky ", "is blue. ", "Grass is green." })
            {
                await w.WriteAsync(FakeKServeTensors.StreamPiece(r.ModelName, piece), c.CancellationToken);
            }

            // Triton's empty final response of a decoupled model: only the flag, no outputs.
            var final = new Backends.KServe.Protocol.ModelInferResponse { ModelName = r.ModelName };
            final.Parameters["triton_final_response"] = new() { BoolParam = true };
            await w.WriteAsync(new() { InferResponse = final }, c.CancellationToken);
        };

        using var response = await gateway.Proxy.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Colors?", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var data = SseData(await response.Content.ReadAsStringAsync());
        Assert.Equal("The sky is blue. Grass is green.", StreamedContent(data));
        Assert.Equal(["stop"], StreamedFinishReasons(data));
        Assert.Equal("[DONE]", data[^1]);
        var call = Assert.Single(gateway.KServe.Requests);
        Assert.Equal("/inference.GRPCInferenceService/ModelStreamInfer", call.Record.Path);
        Assert.Equal(Llama3Prompt("Colors?"), call.Prompt);
        Assert.True(call.RawInput);
        Assert.True(call.Request.Parameters["triton_enable_empty_final_response"].BoolParam);
    }

    [Fact]
    public async Task ChatStream_CanarySplitAcrossResponses_NeverDeliveredAndContentFilter()
    {
        await using var gateway = await KServeGateway.StartAsync();
        gateway.KServe.Stream = async (r, w, c) =>
        {
            string[] pieces = ["A fine start to the story. ", "then cana", "ry-vio", "lence happens", " and more."];
            for (var i = 0; i < pieces.Length; i++)
            {
                await w.WriteAsync(FakeKServeTensors.StreamPiece(r.ModelName, pieces[i], final: i == pieces.Length - 1), c.CancellationToken);
            }
        };

        using var response = await gateway.Proxy.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Story?", stream: true));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        var data = SseData(text);
        Assert.DoesNotContain("canary", StreamedContent(data), StringComparison.Ordinal);
        Assert.Contains("content_filter", StreamedFinishReasons(data));
        Assert.DoesNotContain("stop", StreamedFinishReasons(data));
        Assert.Equal(1, gateway.KServe.RequestCount);
    }

    [Fact]
    public async Task ChatStream_KServeUnavailableMidStream_ErrorEventWithoutCleanFinishOrDone()
    {
        await using var gateway = await KServeGateway.StartAsync();
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.KServe.Stream = async (r, w, c) =>
        {
            // Two sentences, each checked and released on its own: the gateway sends a released chunk once the next
            // one is due (one chunk of look-ahead), so the first reaches the client while the stream is still open.
            await w.WriteAsync(FakeKServeTensors.StreamPiece(r.ModelName, "A first sentence that is long enough to be checked and released early. "), c.CancellationToken);
            await w.WriteAsync(FakeKServeTensors.StreamPiece(r.ModelName, "A second sentence that is also long enough to be checked. "), c.CancellationToken);
            await w.WriteAsync(FakeKServeTensors.StreamPiece(r.ModelName, "And then the engine"), c.CancellationToken);

            // Fail only after the client has seen released text, so the failure is certainly mid-stream (after headers).
            await released.Task.WaitAsync(TimeSpan.FromSeconds(5), c.CancellationToken);
            throw new RpcException(new Status(StatusCode.Unavailable, "engine crashed"));
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await gateway.Proxy.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hi", stream: true), cancellationToken: timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var body = new System.Text.StringBuilder();
        while (StreamedContent(SseData(body.ToString())).Length == 0)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended before any text was released");
            body.Append(line).Append('\n');
        }

        released.SetResult();
        body.Append(await reader.ReadToEndAsync(timeout.Token));

        var data = SseData(body.ToString());
        Assert.StartsWith("A first sentence", StreamedContent(data), StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", data);
        Assert.Empty(StreamedFinishReasons(data));
        using (var error = System.Text.Json.JsonDocument.Parse(data[^1]))
        {
            // UNAVAILABLE after responses: the backend failed (not a timeout, not a protocol error), and is not retried.
            Assert.Equal("backend_unavailable", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(1, gateway.KServe.RequestCount);
        Assert.DoesNotContain("engine crashed", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcChatComplete_KServeBackend_PromptWithSystemAndMaxTokensAnswered()
    {
        await using var gateway = await KServeGateway.StartAsync();
        gateway.KServe.Unary = (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "Paris.", raw: false));
        var request = new ChatRequest
        {
            Model = Model,
            MaxTokens = 16,
            Messages = { new ChatTurn { Role = "system", Content = "Be brief." }, new ChatTurn { Role = "user", Content = "Capital of France?" } },
        };

        var response = await gateway.Proxy.Chat.CompleteAsync(request, GatewayHost.With(TestKeys.Client));

        Assert.Equal("Paris.", response.Choices[0].Content);
        Assert.Equal("stop", response.Choices[0].FinishReason);
        Assert.Equal(Contracts.V1.Decision.Allow, response.Choices[0].Moderation.Decision);
        var call = Assert.Single(gateway.KServe.Requests);
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>" + Llama3Prompt("Capital of France?"),
            call.Prompt);
        Assert.Equal(16, Assert.Single(call.Request.Inputs, i => i.Name == "max_tokens").Contents.IntContents[0]);
    }

    [Fact]
    public async Task ChatCompletions_KServeDown_502Promptly()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var gateway = await KServeGateway.StartAsync(backendUrl: $"http://127.0.0.1:{closedPort}");
        var watch = Stopwatch.StartNew();

        using var response = await gateway.Proxy.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal("backend_unavailable", (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }
}
