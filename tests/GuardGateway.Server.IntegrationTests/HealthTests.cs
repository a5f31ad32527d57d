using System.Text.Json;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.Hosting;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Health.V1;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>grpc.health.v1 and /healthz follow the model and the policies.</summary>
public sealed class HealthTests
{
    // The health check service logs Unhealthy results as errors (103); the store logs a rejected set (2001, 2002).
    private static readonly HashSet<int> UnhealthyLogs = [103, 2001, 2002];

    [Fact]
    public async Task Check_ModelLoadingThenLoaded_NotServingThenServing()
    {
        var source = new FakeModelSource(KeywordClassifier.Default(isDemo: true), gated: true);
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { ModelSource = source, ExpectedErrorEventIds = UnhealthyLogs });
        var health = new Grpc.Health.V1.Health.HealthClient(host.Channel);

        var before = await health.CheckAsync(new HealthCheckRequest { Service = Moderation.Descriptor.FullName });
        var overallBefore = await health.CheckAsync(new HealthCheckRequest());
        source.Release();
        await host.WaitForModelAsync();
        var after = await health.CheckAsync(new HealthCheckRequest { Service = Moderation.Descriptor.FullName });
        var detail = await host.Http.GetStringAsync("/healthz");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, before.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, overallBefore.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, after.Status);
        using var json = JsonDocument.Parse(detail);
        var model = json.RootElement.GetProperty("checks").GetProperty("model");
        Assert.Equal("Healthy", model.GetProperty("status").GetString());
        Assert.True(model.GetProperty("data").GetProperty("demo_model").GetBoolean());
        Assert.Contains("DEMO", model.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LivenessWhileModelLoading_ServingWhileReadinessIsNot()
    {
        var source = new FakeModelSource(KeywordClassifier.Default(isDemo: true), gated: true);
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { ModelSource = source, ExpectedErrorEventIds = UnhealthyLogs });
        var health = new Grpc.Health.V1.Health.HealthClient(host.Channel);

        var liveness = await health.CheckAsync(new HealthCheckRequest { Service = GuardGatewayApp.LivenessService });
        var readiness = await health.CheckAsync(new HealthCheckRequest());
        source.Release();
        await host.WaitForModelAsync();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, liveness.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, readiness.Status);
    }

    [Fact]
    public async Task Check_NoDefaultPolicy_NotServing()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            Configuration = { ["Guard:DefaultPolicy"] = "absent" },
            ExpectedErrorEventIds = UnhealthyLogs,
        });
        await host.WaitForModelAsync();

        var status = await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, status.Status);
    }
}
