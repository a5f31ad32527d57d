using GuardGateway.Contracts.V1;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>RELIABILITY.md T1 at the service edge: no verdict is never "safe".</summary>
public sealed class FailClosedTests
{
    public static TheoryData<GuardErrorCode?, bool> Faults() => new()
    {
        { GuardErrorCode.ClassifierFailure, false },
        { GuardErrorCode.QueueFull, false },
        { GuardErrorCode.ParseFailure, false },
        { GuardErrorCode.ModelInvalid, false },
        { null, true },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Moderate_ClassifierFaults_BlocksFailClosed(GuardErrorCode? fault, bool throws)
    {
        await using var host = await StartWithAsync(new FaultingClassifier(fault, throws));

        var response = await host.Moderation.ModerateAsync(Conversations.Input("canary-harmless words"), GatewayHost.With(TestKeys.Client));

        Assert.Equal(Decision.Block, response.Decision);
        Assert.True(response.NoVerdict);
        Assert.False(response.FailedOpen);
        Assert.StartsWith("fail-closed", response.Reason, StringComparison.Ordinal);
        Assert.Equal("Blocked by test policy.", response.Refusal);
        Assert.DoesNotContain("canary", response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_PromptTooLong_IsRefusedEvenUnderFailOpenPolicy()
    {
        // Over-limit input was never classified: refusing it is the only safe answer, whatever the fail mode
        // (RELIABILITY.md T7: never truncate silently, never let unclassified text through).
        await using var host = await StartWithAsync(new FaultingClassifier(GuardErrorCode.PromptTooLong));

        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await host.Moderation.ModerateAsync(Conversations.Input("long text", policy: "open"), GatewayHost.With(TestKeys.Client)));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("PROMPT_TOO_LONG", StatusDetails.Info(error)?.Reason);
    }

    [Fact]
    public async Task Moderate_FaultUnderFailOpenPolicy_AllowsVisiblyAndCounts()
    {
        await using var host = await StartWithAsync(new FaultingClassifier(GuardErrorCode.ClassifierFailure));

        var response = await host.Moderation.ModerateAsync(Conversations.Input("anything", policy: "open"), GatewayHost.With(TestKeys.Client));
        var metrics = await host.Http.GetStringAsync("/metrics");

        Assert.Equal(Decision.Allow, response.Decision);
        Assert.True(response.FailedOpen);
        Assert.True(response.NoVerdict);
        Assert.StartsWith("fail-open", response.Reason, StringComparison.Ordinal);
        Assert.Contains("guardgateway_fail_open_total{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_FaultUnderDefaultPolicy_FailOpenCounterStaysAbsent()
    {
        await using var host = await StartWithAsync(new FaultingClassifier(GuardErrorCode.QueueFull));

        await host.Moderation.ModerateAsync(Conversations.Input("anything"), GatewayHost.With(TestKeys.Client));
        var metrics = await host.Http.GetStringAsync("/metrics");

        Assert.Contains("guardgateway_no_verdict_total{", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("guardgateway_fail_open_total{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_ClassifierSlowerThanServerDeadline_BlocksFailClosed()
    {
        await using var host = await StartWithAsync(new StallingClassifier(), new() { ["Limits:RequestTimeoutSeconds"] = "0.2" });

        var response = await host.Moderation.ModerateAsync(Conversations.Input("anything"), GatewayHost.With(TestKeys.Client));

        Assert.Equal(Decision.Block, response.Decision);
        Assert.True(response.NoVerdict);
        Assert.Contains("deadline", response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_ModelStillLoading_BlocksFailClosed()
    {
        var source = new FakeModelSource(KeywordClassifier.Default(), gated: true);
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { ModelSource = source });

        var response = await host.Moderation.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client));

        Assert.Equal(Decision.Block, response.Decision);
        Assert.True(response.NoVerdict);
        Assert.Contains("loading", response.Reason, StringComparison.Ordinal);
        source.Release();
    }

    private static Task<GatewayHost> StartWithAsync(IGuardClassifier classifier, Dictionary<string, string?>? configuration = null) =>
        GatewayHost.StartAsync(new GatewayHostOptions
        {
            // The faulting classifier is substituted through DI, as an operator's own model source would be.
            Services = services => services.AddSingleton<Model.IGuardModelSource>(new FakeModelSource(classifier)),
            Configuration = configuration ?? [],
        });
}
