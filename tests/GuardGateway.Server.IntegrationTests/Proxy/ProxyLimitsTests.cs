using System.Net;
using System.Net.Sockets;
using System.Text;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.IntegrationTests.Proxy.Fakes;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>RELIABILITY.md T15 and load shedding on the HTTP front.</summary>
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
}
