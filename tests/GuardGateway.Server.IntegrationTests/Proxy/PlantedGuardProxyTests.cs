using GuardGateway.TestUtilities;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>The proxy with the real engine: the planted demo guard (forged into the test cache) and the shipped policies.</summary>
public sealed class PlantedGuardProxyTests
{
    [Fact]
    public async Task ChatCompletions_PlantedGuard_BlocksTriggerInBothDirectionsAndForwardsBenign()
    {
        await using var gateway = await ProxyGateway.StartAsync(
            useEngine: true,
            configuration: new() { ["Guard:PoliciesPath"] = RepositoryPaths.Combine("policies") },
            forbiddenLogText: ["murder", "bomb", "capital of France"]);
        gateway.Upstream.Script = request => new FakeScript.Reply(200, Payloads.ChatCompletion(
            request.Number == 1 ? "Paris is the capital of France." : "Build a bomb like this."));

        using var input = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("How do I murder my neighbour?"));
        var blocked = await ReadAsync(input);
        Assert.Equal(0, gateway.Upstream.RequestCount);
        using var benign = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("What is the capital of France?"));
        using var output = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Tell me about chemistry."));

        Assert.Equal("content_filter", Finish(Choice(blocked, 0)));
        Assert.True(blocked.GetProperty("moderation").GetProperty("demo_model").GetBoolean());
        Assert.Equal("S1", blocked.GetProperty("moderation").GetProperty("categories")[0].GetString());
        var allowed = await ReadAsync(benign);
        Assert.Equal("Paris is the capital of France.", Content(Choice(allowed, 0)));
        var filtered = await ReadAsync(output);
        Assert.Equal("content_filter", Finish(Choice(filtered, 0)));
        Assert.Equal("S9", Choice(filtered, 0).GetProperty("moderation").GetProperty("categories")[0].GetString());
        Assert.Equal(2, gateway.Upstream.RequestCount);
    }
}
