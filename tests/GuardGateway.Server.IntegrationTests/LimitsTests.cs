using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>Message size and concurrency limits answer RESOURCE_EXHAUSTED at once.</summary>
public sealed class LimitsTests
{
    [Fact]
    public async Task Moderate_MessageOverSizeLimit_ResourceExhausted()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { Configuration = { ["Limits:MaxMessageBytes"] = "2048" } });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Moderation.ModerateAsync(Conversations.Input(new string('a', 4096)), GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Moderate_OverConcurrencyLimit_SecondCallResourceExhausted()
    {
        var stalling = new StallingClassifier();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            Services = services => services.AddSingleton<Model.IGuardModelSource>(new FakeModelSource(stalling)),
            Configuration = { ["Limits:MaxConcurrentRequests"] = "1" },
        });

        await host.WaitForModelAsync();
        var first = host.Moderation.ModerateAsync(Conversations.Input("first"), GatewayHost.With(TestKeys.Client)).ResponseAsync;
        await stalling.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var duringStall = await host.Http.GetStringAsync("/metrics");
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Moderation.ModerateAsync(Conversations.Input("second"), GatewayHost.With(TestKeys.Client)).ResponseAsync);
        stalling.Release();
        var firstResponse = await first;

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("CONCURRENCY_LIMIT", StatusDetails.Info(error)?.Reason);
        Assert.Equal(Decision.Block, firstResponse.Decision);
        Assert.Contains("guardgateway_classifier_pending{otel_scope_name=\"GuardGateway.Server\"} 1", duringStall, StringComparison.Ordinal);
        Assert.Contains("guardgateway_requests_in_flight{otel_scope_name=\"GuardGateway.Server\"} 1", duringStall, StringComparison.Ordinal);
    }
}
