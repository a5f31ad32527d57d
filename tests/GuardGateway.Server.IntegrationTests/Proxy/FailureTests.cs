using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GuardGateway.Core.Results;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>Errors of the HTTP front: OpenAI-shaped, prompt, and never a pass-through (RELIABILITY.md T1, T8, T10, T15).</summary>
public sealed class FailureTests
{
    [Theory]
    [InlineData(null, "missing_api_key")]
    [InlineData(TestKeys.Wrong, "invalid_api_key")]
    public async Task ChatCompletions_BadKey_401OpenAiShapedWithoutUpstreamCall(string? key, string code)
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"), key: key ?? "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await ReadAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Theory]
    [InlineData("POST", "/v1/embeddings")]
    [InlineData("GET", "/v1/chat/completions")]
    [InlineData("DELETE", "/v1/models")]
    [InlineData("POST", "/v1/files")]
    public async Task UnknownRouteOrMethod_404WithoutUpstreamCall(string method, string path)
    {
        await using var gateway = await ProxyGateway.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new("Bearer", TestKeys.Client);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"model":"llama-3-8b","input":"canary-violence"}""");
        }

        using var response = await gateway.Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_url", (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_BackendDown_502Promptly()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var gateway = await ProxyGateway.StartAsync(backendUrl: $"http://127.0.0.1:{closedPort}");
        var watch = Stopwatch.StartNew();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        var error = (await ReadAsync(response)).GetProperty("error");
        Assert.Equal("backend_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("api_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_BackendSlow_504AndUpstreamCancelled()
    {
        // Polly logs the attempt timeout as an error (event id 0): expected here.
        await using var gateway = await ProxyGateway.StartAsync(expectedErrors: new HashSet<int> { 0 });
        gateway.Upstream.Script = _ => new FakeScript.Hang();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("backend_timeout", (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        await gateway.Upstream.Requests[0].Aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ChatCompletions_NoBackendConfigured_502AndModerationsStillWork()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        await host.WaitForModelAsync();
        using var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"any","messages":[{"role":"user","content":"Hello"}]}"""),
        };
        chat.Headers.Authorization = new("Bearer", TestKeys.Client);
        using var moderation = new HttpRequestMessage(HttpMethod.Post, "/v1/moderations") { Content = new StringContent("""{"input":"Hello"}""") };
        moderation.Headers.Authorization = new("Bearer", TestKeys.Client);

        using var chatResponse = await host.Http.SendAsync(chat);
        using var moderationResponse = await host.Http.SendAsync(moderation);

        Assert.Equal(HttpStatusCode.BadGateway, chatResponse.StatusCode);
        Assert.Equal("no_backend_configured", (await ReadAsync(chatResponse)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, moderationResponse.StatusCode);
        Assert.False((await ReadAsync(moderationResponse)).GetProperty("results")[0].GetProperty("flagged").GetBoolean());
    }

    [Fact]
    public async Task ChatCompletions_FaultingClassifier_FailClosedRefusalWithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync(model: new FakeModelSource(new FaultingClassifier(GuardErrorCode.ClassifierFailure)));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"));

        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.True(body.GetProperty("moderation").GetProperty("no_verdict").GetBoolean());
        Assert.False(body.GetProperty("moderation").GetProperty("failed_open").GetBoolean());
        Assert.Equal(0, gateway.Upstream.RequestCount);
        Assert.False(response.Headers.Contains("x-guardgateway-fail-open"));
    }

    [Fact]
    public async Task ChatCompletions_ThrowingClassifierAndErrorMode_503WithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync(
            model: new FakeModelSource(new FaultingClassifier(null, throws: true)),
            configuration: new() { ["Proxy:NoVerdictResponse"] = "Error" });

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello", stream: true));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no_verdict", (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_FailOpenPolicy_ForwardedWithHeaderAndMetric()
    {
        await using var gateway = await ProxyGateway.StartAsync(model: new FakeModelSource(new FaultingClassifier(GuardErrorCode.ClassifierFailure)));

        using var response = await gateway.PostAsync(
            "/v1/chat/completions",
            ProxyGateway.UserChat("Hello"),
            headers: new Dictionary<string, string> { ["x-guardgateway-policy"] = "open" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("x-guardgateway-fail-open").Single());
        var body = await ReadAsync(response);
        Assert.True(body.GetProperty("moderation").GetProperty("failed_open").GetBoolean());
        Assert.Equal("hello", Content(Choice(body, 0)));
        Assert.Equal(1, gateway.Upstream.RequestCount);
        var metrics = await gateway.Host.Http.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("guardgateway_fail_open_total{", StringComparison.Ordinal) && line.Contains("policy=\"open\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimit_413WithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync(configuration: new() { ["Proxy:MaxRequestBytes"] = "4096" });

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat(new string('a', 5000)));
        using var small = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("short"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(1, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_InvalidJson_400()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostRawAsync("/v1/chat/completions", "{\"model\":");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ReadAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ClientCancels_CancellationReachesBackend()
    {
        await using var gateway = await ProxyGateway.StartAsync(configuration: new() { ["Backends:0:AttemptTimeout"] = "00:00:30", ["Backends:0:TotalTimeout"] = "00:00:40" });
        gateway.Upstream.Script = _ => new FakeScript.Hang();
        using var cancel = new CancellationTokenSource();

        var call = gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"), cancellationToken: cancel.Token);
        var upstream = await gateway.Upstream.WaitForRequestAsync(1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await upstream.Aborted.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
