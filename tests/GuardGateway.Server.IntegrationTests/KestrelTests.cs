using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Health.V1;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>The real Kestrel server on 127.0.0.1 with ephemeral ports: gRPC (HTTP/2) and HTTP/1.1 endpoints.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task Kestrel_LoopbackEndpoints_ModerateHealthAndMetricsWork()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        await host.WaitForModelAsync();

        var allow = await host.Moderation.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client));
        var block = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence"), GatewayHost.With(TestKeys.Client));
        var health = await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        var metrics = await host.Http.GetStringAsync("/metrics");

        Assert.Equal(Decision.Allow, allow.Decision);
        Assert.Equal(Decision.Block, block.Decision);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains("guardgateway_decisions_total", metrics, StringComparison.Ordinal);
    }

    /// <summary>RELIABILITY.md T14: the shipped appsettings set Kestrel's abuse limits explicitly (bench/GuardGateway.Bench.Abuse measures them).</summary>
    [Fact]
    public async Task ShippedSettings_KestrelAbuseLimits_Explicit()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });

        var limits = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
        Assert.Equal(32 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(100, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(16 * 1024, limits.Http2.MaxRequestHeaderFieldSize);
    }

    /// <summary>RELIABILITY.md T14: the server runs workstation GC (Server GC kept more than twice the heap under abuse).</summary>
    [Fact]
    public void ServerRuntimeConfig_ServerGc_Off()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "GuardGateway.Server.runtimeconfig.json")));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
    }
}
