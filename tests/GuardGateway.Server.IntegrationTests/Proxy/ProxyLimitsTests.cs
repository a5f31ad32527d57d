using System.Net;
using System.Net.Sockets;
using System.Text;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>RELIABILITY.md T15 (requests and relayed responses) and load shedding on the proxy fronts.</summary>
public sealed class ProxyLimitsTests
{
    [Fact]
    public async Task ChatCompletions_DeclaredHugeBody_413BeforeReadingIt()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        var address = gateway.Host.Http.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, address.Port);
        var stream = client.GetStream();
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {TestKeys.Client}\r\n"
            + "Content-Type: application/json\r\nContent-Length: 67108864\r\n\r\n{\"model\":";

        // Only the head and a few body bytes are sent: a gateway that waited for 64 MB would never answer.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_OverConcurrencyLimit_429AtOnce()
    {
        await using var gateway = await ProxyGateway.StartAsync(configuration: new() { ["Limits:MaxConcurrentRequests"] = "1", ["Backends:0:AttemptTimeout"] = "00:00:30", ["Backends:0:TotalTimeout"] = "00:00:40" });
        gateway.Upstream.Script = _ => new FakeScript.Hang();
        using var cancel = new CancellationTokenSource();
        var first = gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"), cancellationToken: cancel.Token);
        await gateway.Upstream.WaitForRequestAsync(1);

        using var second = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello again"));

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("rate_limit_error", (await ReadAsync(second)).GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(1, gateway.Upstream.RequestCount);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    [Fact]
    public async Task ChatComplete_AnswerOverTheGrpcSendLimit_ResourceExhausted()
    {
        // The backend may answer up to Backends:MaxResponseBytes (16 MiB); the relayed gRPC message is held to
        // Limits:MaxMessageBytes like a request.
        await using var gateway = await ProxyGateway.StartAsync(configuration: new() { ["Limits:MaxMessageBytes"] = "65536" });
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion(string.Concat(Enumerable.Repeat("All fine here. ", 6000))));
        var small = new ChatRequest { Model = ProxyGateway.Model, Messages = { new ChatTurn { Role = "user", Content = "Hello" } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => gateway.Chat.CompleteAsync(small, GatewayHost.With(TestKeys.Client)).ResponseAsync);
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion("Short."));
        var fits = await gateway.Chat.CompleteAsync(small, GatewayHost.With(TestKeys.Client));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Short.", fits.Choices[0].Content);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamBodyOverMaxResponseBytesThenStalls_502AtOnceAndUpstreamDropped()
    {
        await using var gateway = await ProxyGateway.StartAsync(configuration: new()
        {
            ["Backends:0:MaxResponseBytes"] = "65536",
            ["Backends:0:AttemptTimeout"] = "00:00:30",
            ["Backends:0:TotalTimeout"] = "00:00:40",
        });
        // 160 KiB of an undeclared (chunked) body, then nothing: the gateway must stop at the limit, not wait for the end.
        gateway.Upstream.Script = _ => new FakeScript.Sse([.. Enumerable.Repeat(Encoding.ASCII.GetBytes(new string(' ', 16 * 1024)), 10)], HangAtEnd: true, ContentType: "application/json");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"));
        var grpc = await Assert.ThrowsAsync<RpcException>(() => gateway.Chat.CompleteAsync(
            new ChatRequest { Model = ProxyGateway.Model, Messages = { new ChatTurn { Role = "user", Content = "Hello" } } }, GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("backend_protocol_error", (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(StatusCode.Unavailable, grpc.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}: the gateway waited for the stalled body");
        await gateway.Upstream.Requests[0].Aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await gateway.Upstream.Requests[1].Aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
