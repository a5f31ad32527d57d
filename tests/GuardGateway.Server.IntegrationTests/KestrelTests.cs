using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Health.V1;

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
}
