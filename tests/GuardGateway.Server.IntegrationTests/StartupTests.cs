using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>Options validated at start, a model that fails to load, reflection, and caller deadlines.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Start_ShortKeyAndBadLimits_FailsWithEveryProblem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(new GatewayHostOptions
        {
            Configuration = { ["Auth:ClientKeys:1"] = "short" },
        }));

        Assert.True(error.Failures.Any(f => f.Contains("Auth:ClientKeys[1]", StringComparison.Ordinal)), string.Join("; ", error.Failures));
        Assert.DoesNotContain(error.Failures, f => f.Contains("short", StringComparison.Ordinal) && !f.Contains("shorter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ModelDirectoryUnusable_NotServingAndFailClosed()
    {
        using var empty = new TempDirectory();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseEngine = true,
            Configuration = { ["Guard:ModelPath"] = empty.Path },
            ExpectedErrorEventIds = new HashSet<int> { 202, 103 },
        });
        await host.WaitForModelAsync();

        var health = await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        var response = await host.Moderation.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        Assert.Equal(Decision.Block, response.Decision);
        Assert.Contains("failed to load", response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reflection_ListServices_NamesModerationPoliciesAndHealth()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = new ServerReflection.ServerReflectionClient(host.Channel);

        // With client keys configured, reflection needs a key (ReflectionAuthTests).
        using var call = client.ServerReflectionInfo(GatewayHost.With(TestKeys.Client));
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("guardgateway.v1.Moderation", names);
        Assert.Contains("guardgateway.v1.Policies", names);
        Assert.Contains("grpc.health.v1.Health", names);
    }

    [Fact]
    public async Task Moderate_CallerDeadlineShorterThanGuard_EndsPromptlyAndCancelsTheGuard()
    {
        var stalling = new StallingClassifier();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true, ModelSource = new FakeModelSource(stalling) });
        await host.WaitForModelAsync();
        var options = new CallOptions(
            headers: new Metadata { { "authorization", "Bearer " + TestKeys.Client } },
            // Long enough that the call reaches the guard even on a loaded CI machine (under load a 300 ms
            // deadline could expire before the classifier was entered, leaving nothing to cancel).
            deadline: DateTime.UtcNow.AddMilliseconds(1500));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(Conversations.Input("hello"), options).ResponseAsync);
        var elapsed = started.Elapsed;
        Assert.True(stalling.Entered.IsCompleted, "the guard was never asked");
        await stalling.Cancelled.WaitAsync(TimeSpan.FromSeconds(5));

        // The client's and the server's deadline timers race: either status means "no decision".
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled, error.ToString());
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
    }
}
