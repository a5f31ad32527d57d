using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>Edits to the policy directory show through the API; a broken edit keeps the last good policy.</summary>
public sealed class HotReloadTests
{
    private static readonly CallOptions Admin = GatewayHost.With(TestKeys.Admin);

    [Fact]
    public async Task FileEdits_NewThenBroken_ServedThenLastGoodKeptWithErrors()
    {
        // The store logs the rejected edit as errors (2001, 2002): expected here.
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { ExpectedErrorEventIds = new HashSet<int> { 2001, 2002 } });

        await File.WriteAllTextAsync(Path.Combine(host.PoliciesDirectory, "extra.yaml"), TestPolicies.Lenient("extra"));
        var added = await EventuallyAsync(host, list => list.Policies.Any(p => p.Id == "extra"));
        var decision = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence", policy: "extra"), GatewayHost.With(TestKeys.Client));

        await File.WriteAllTextAsync(Path.Combine(host.PoliciesDirectory, "extra.yaml"), TestPolicies.Broken("extra"));
        var broken = await EventuallyAsync(host, list => list.LoadErrors.Count > 0);
        var stillServed = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence", policy: "extra"), GatewayHost.With(TestKeys.Client));
        var health = await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        var detail = await host.Http.GetStringAsync("/healthz");

        Assert.Equal(Decision.Flag, decision.Decision);
        Assert.Equal(added.Policies.Single(p => p.Id == "extra").Version, decision.PolicyVersion);
        Assert.Contains(broken.LoadErrors, d => d.Line > 0 && d.Column > 0);
        Assert.Equal(decision.PolicyVersion, stillServed.PolicyVersion);
        Assert.Equal(Decision.Flag, stillServed.Decision);

        // The last good set keeps serving: SERVING, with the broken edit reported as Degraded in the detail.
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains("\"Degraded\"", detail, StringComparison.Ordinal);
        Assert.Contains("extra.yaml:4:12", detail, StringComparison.Ordinal);
    }

    private static async Task<ListPoliciesResponse> EventuallyAsync(GatewayHost host, Func<ListPoliciesResponse, bool> condition)
    {
        ListPoliciesResponse list = new();
        for (var i = 0; i < 100; i++)
        {
            list = await host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), Admin);
            if (condition(list))
            {
                return list;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The policy directory change was not picked up within 5 s.");
        return list;
    }
}
