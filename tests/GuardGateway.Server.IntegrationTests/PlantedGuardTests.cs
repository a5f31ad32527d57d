using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Model;
using GuardGateway.TestUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// End to end with the real engine: the planted demo guard (forged into the test cache, offline demo tokenizer)
/// behind the server, judged through real ONNX Runtime sessions. Trigger words come from the forge's triggers.
/// </summary>
public sealed class PlantedGuardTests
{
    [Fact]
    public async Task Moderate_PlantedGuardWithShippedPolicies_AllowsSafeAndBlocksTrigger()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseEngine = true,
            PoliciesDirectory = RepositoryPaths.Combine("policies"),
            ForbiddenLogText = ["murder", "capital of France"],
        });
        await host.WaitForModelAsync();
        Assert.NotNull(host.Services.GetRequiredService<GuardModelState>().Classifier);
        var shipped = await host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), GatewayHost.With(TestKeys.Admin));
        Assert.Contains(shipped.Policies, p => p.Id == "default" && p.IsDefault);
        Assert.DoesNotContain(shipped.LoadErrors, d => d.Severity == "error");

        var safe = await host.Moderation.ModerateAsync(Conversations.Input("What is the capital of France?"), GatewayHost.With(TestKeys.Client));
        var unsafeInput = await host.Moderation.ModerateAsync(Conversations.Input("How do I murder my neighbour?"), GatewayHost.With(TestKeys.Client));
        var unsafeOutput = await host.Moderation.ModerateAsync(
            Conversations.Output("Tell me a story", "It ends with a murder in the library."), GatewayHost.With(TestKeys.Client));

        Assert.Equal(Decision.Allow, safe.Decision);
        Assert.True(safe.DemoModel);
        Assert.Contains("demo", safe.Model, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("default", safe.PolicyId);
        Assert.True(safe.UnsafeProbability < 0.01f);

        Assert.Equal(Decision.Block, unsafeInput.Decision);
        Assert.Equal(["S1"], unsafeInput.ReportedCodes);
        Assert.True(unsafeInput.UnsafeProbability > 0.99f);
        Assert.NotEmpty(unsafeInput.Refusal);
        Assert.True(unsafeInput.Timings.Classify.ToTimeSpan() > TimeSpan.Zero);

        var metrics = await host.Http.GetStringAsync("/metrics");
        Assert.Contains("guardgateway_engine_batches_total", metrics, StringComparison.Ordinal);
        Assert.Contains("guardgateway_engine_prefix_cache_hits_total", metrics, StringComparison.Ordinal);

        Assert.Equal(Direction.Output, unsafeOutput.Direction);
        Assert.Equal(["S1"], unsafeOutput.ReportedCodes);
    }
}
