using GuardGateway.Backends.Fakes.KServe;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// The shared KServe fake where the gateway's <c>appsettings.json</c> lies beside the tests (its Kestrel endpoints on
/// fixed ports): the fake listens on its own ephemeral port only. It used to read that file and bind the gateway's
/// ports as well, so a second fake at the same time (parallel test classes), or any other process on those ports,
/// failed its start.
/// </summary>
public sealed class FakeKServeServerTests
{
    [Fact]
    public async Task StartAsync_TwoAtOnceBesideTheGatewayAppSettings_BothStartOnTheirOwnPorts()
    {
        Assert.True(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")), "the gateway's appsettings.json is not beside the tests");

        await using var first = await FakeKServeServer.StartAsync();
        await using var second = await FakeKServeServer.StartAsync();

        Assert.NotEqual(first.Url, second.Url);
        Assert.All([first.Url, second.Url], url => Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal));
    }
}
