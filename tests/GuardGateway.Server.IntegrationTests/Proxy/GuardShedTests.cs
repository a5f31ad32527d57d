using System.Diagnostics;
using System.Net;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// RELIABILITY.md T9b: when the guard's own limiter sheds a call (Guard:Classifier concurrency limit and queue full),
/// the proxy answers 429 / RESOURCE_EXHAUSTED (overload: retry with backoff), not a content refusal or UNAVAILABLE,
/// forwards nothing, and does not hold the answer for the block-latency floor. Found while writing the T9b overload bench:
/// such calls became fail-closed no-verdict decisions, i.e. a 200 content_filter refusal (or 503 with
/// Proxy:NoVerdictResponse=Error), which tells a client its content was refused instead of "retry later".
/// </summary>
public sealed class GuardShedTests
{
    [Fact]
    public async Task Chat_GuardQueueFull_429AndResourceExhaustedAtOnceNothingForwarded()
    {
        var classifier = new StallingClassifier();
        await using var gateway = await ProxyGateway.StartAsync(new FakeModelSource(classifier), new()
        {
            ["Guard:Classifier:MaxConcurrentCalls"] = "1",
            ["Guard:Classifier:QueueLimit"] = "0",
            ["Proxy:BlockedLatency:Floor"] = "00:00:10",
            ["Proxy:BlockedLatency:Max"] = "00:00:10",
        });
        using var cancel = new CancellationTokenSource();
        var first = gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"), cancellationToken: cancel.Token);
        await classifier.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        using var http = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello again"));
        var error = (await ReadAsync(http)).GetProperty("error");
        var grpc = await Assert.ThrowsAsync<RpcException>(async () => await gateway.Chat.CompleteAsync(
            new ChatRequest { Model = ProxyGateway.Model, Messages = { new ChatTurn { Role = "user", Content = "Hello by gRPC" } } },
            GatewayHost.With(TestKeys.Client)));
        var elapsed = clock.Elapsed;

        Assert.Equal(HttpStatusCode.TooManyRequests, http.StatusCode);
        Assert.Equal("guard_queue_full", error.GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal(StatusCode.ResourceExhausted, grpc.StatusCode);
        Assert.Equal(0, gateway.Upstream.RequestCount);
        // Generous: the floor (10 s) must not apply to shed calls; each answer is otherwise immediate.
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"shed answers took {elapsed.TotalMilliseconds:0} ms");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }
}
