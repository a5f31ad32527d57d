using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.TestUtilities;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// RELIABILITY.md T14: the PING flood limiter (Http2Guard) on the real Kestrel h2c endpoint, against a raw-frame client
/// and a real gRPC client with aggressive keepalive.
/// </summary>
public sealed partial class Http2GuardTests
{
    private const int PingFloodLogEvent = 120;
    private const int FloodPings = 100_000;

    [Fact]
    public async Task PingFlood_RawClient_ConnectionAbortedCountedAndLogged()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var connection = await RawHttp2Connection.ConnectAsync(GrpcPort(host), cts.Token);
        var sent = await FloodAsync(connection, FloodPings, cts.Token);
        var closed = await connection.WaitClosedAsync(TimeSpan.FromSeconds(30), cts.Token);

        Assert.True(closed, $"the server kept the connection open after {sent:N0} PINGs ({connection.PingAcks:N0} ACKs)");
        Assert.True(connection.PingAcks < FloodPings / 2, $"{connection.PingAcks:N0} of {sent:N0} PINGs answered before the abort");
        Assert.Equal(1, await AbortedAsync(host, expected: 1));
        var log = Assert.Single(host.Logs, r => r.Id.Id == PingFloodLogEvent);
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Contains("127.0.0.1", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PingFlood_ReconnectingAttacker_EveryAbortCountedWarningsThrottled()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int floods = 4;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < floods; i++)
        {
            await using var connection = await RawHttp2Connection.ConnectAsync(GrpcPort(host), cts.Token);
            await FloodAsync(connection, FloodPings, cts.Token);
            Assert.True(await connection.WaitClosedAsync(TimeSpan.FromSeconds(30), cts.Token), $"flood {i + 1} was not aborted");
        }

        var elapsed = clock.Elapsed;
        Assert.Equal(floods, await AbortedAsync(host, expected: floods));
        // One warning per 10 s window (Http2FrameRateGuard.WarningInterval): normally exactly one for the four aborts.
        var warnings = host.Logs.Count(r => r.Id.Id == PingFloodLogEvent);
        Assert.InRange(warnings, 1, 1 + (int)(elapsed / TimeSpan.FromSeconds(10)));
        Assert.True(warnings < floods || elapsed > TimeSpan.FromSeconds(30), $"{warnings} warnings for {floods} aborts in {elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task PingFlood_GuardDisabled_EveryPingAnswered()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseKestrel = true,
            Configuration = { ["Http2Guard:Enabled"] = "false" },
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Ten times the default burst at once: the guard (enabled) would abort this connection.
        await using var connection = await RawHttp2Connection.ConnectAsync(GrpcPort(host), cts.Token);
        Assert.Equal(1_000, await FloodAsync(connection, 1_000, cts.Token));
        var clock = Stopwatch.StartNew();
        while (connection.PingAcks < 1_000 && !connection.IsClosed && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cts.Token);
        }

        Assert.Equal(1_000, connection.PingAcks);
        Assert.False(connection.IsClosed);
        Assert.Equal(0, await AbortedAsync(host, expected: 0));
    }

    [Fact]
    public async Task KeepAlivePings_GrpcClientForThreeSeconds_NotAborted()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        await host.WaitForModelAsync();
        using var handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress!, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var client = new Moderation.ModerationClient(channel);

        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3) && calls < 2_000)
        {
            var reply = await client.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client));
            Assert.Equal(Decision.Allow, reply.Decision);
            calls++;
        }

        // Idle past a few keepalive periods too, then the same connection still answers.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(Decision.Allow, (await client.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client))).Decision);
        Assert.Equal(0, await AbortedAsync(host, expected: 0));
        Assert.DoesNotContain(host.Logs, r => r.Id.Id == PingFloodLogEvent);
    }

    private static int GrpcPort(GatewayHost host) => new Uri(host.GrpcAddress!).Port;

    /// <summary>Sends up to <paramref name="count"/> PINGs in batches of 1,000 as fast as the socket takes them; returns how many went out.</summary>
    private static async Task<int> FloodAsync(RawHttp2Connection connection, int count, CancellationToken ct)
    {
        var sent = 0;
        while (sent < count)
        {
            var first = sent;
            var batch = Math.Min(1_000, count - sent);
            if (!await connection.SendAsync(b =>
            {
                for (var i = 0; i < batch; i++)
                {
                    Http2Frames.PingFrame(b, first + i);
                }
            }, ct))
            {
                break;
            }

            sent += batch;
        }

        return sent;
    }

    /// <summary>
    /// <c>guardgateway_http2_connections_aborted_total{reason="ping_flood"}</c> from /metrics (0 when absent), polled until
    /// it shows <paramref name="expected"/> or 5 s passed (the exporter caches scrapes briefly).
    /// </summary>
    private static async Task<int> AbortedAsync(GatewayHost host, int expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await host.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var match = AbortedMetric().Match(text);
            var value = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (value == expected || clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                return value;
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex("""^guardgateway_http2_connections_aborted_total\{[^}]*reason="ping_flood"[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex AbortedMetric();
}
