using System.Collections.Concurrent;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>Policy updates racing with live traffic: every decision matches exactly one whole policy version.</summary>
public sealed class PolicyRaceTests
{
    [Fact]
    public async Task PutPolicy_RacingWithModerate_EveryDecisionMatchesTheVersionItReports()
    {
        await using var host = await GatewayHost.StartAsync();
        // Alternating S1 between block and flag relaxes a protected category: a policy-owner key.
        var admin = GatewayHost.With(TestKeys.Owner);
        var expected = new ConcurrentDictionary<string, Decision>(StringComparer.Ordinal);
        var first = await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "race", Yaml = TestPolicies.Default("race") }, admin);
        expected[first.Policy.Version] = Decision.Block;

        using var stop = new CancellationTokenSource();
        var observed = new ConcurrentBag<(string Version, Decision Decision)>();
        var traffic = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence", policy: "race"), GatewayHost.With(TestKeys.Client));
                observed.Add((response.PolicyVersion, response.Decision));
            }
        })).ToList();

        // Alternate a blocking and a flagging version of the same policy while the traffic runs.
        var version = first.Policy.Version;
        for (var i = 0; i < 20; i++)
        {
            var lenient = i % 2 == 0;
            var yaml = (lenient ? TestPolicies.Lenient("race") : TestPolicies.Default("race")) + $"\n# edit {i}\n";
            var put = await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "race", Yaml = yaml, ExpectedVersion = version }, admin);
            version = put.Policy.Version;
            expected[version] = lenient ? Decision.Flag : Decision.Block;
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Task.WhenAll(traffic);

        Assert.NotEmpty(observed);
        Assert.True(observed.Select(o => o.Version).Distinct().Count() > 1, "traffic saw only one version");
        foreach (var (seenVersion, decision) in observed)
        {
            Assert.True(expected.TryGetValue(seenVersion, out var want), $"unknown version {seenVersion}");
            Assert.Equal(want, decision);
        }
    }
}
