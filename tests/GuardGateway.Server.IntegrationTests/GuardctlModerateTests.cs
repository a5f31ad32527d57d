using System.Diagnostics;
using System.Text.Json;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.TestUtilities;

namespace GuardGateway.Server.IntegrationTests;

/// <summary><c>guardctl moderate</c> as a real process against a real Kestrel server on loopback.</summary>
public sealed class GuardctlModerateTests
{
    [Fact]
    public async Task GuardctlModerate_TriggerText_PrintsBlockDecisionAsJson()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        await host.WaitForModelAsync();
        var server = host.GrpcAddress!;

        var blocked = await RunAsync("moderate", "--server", server, "--text", "canary-violence now", "--api-key", TestKeys.Client);
        var flagged = await RunAsync("moderate", "--server", server, "--text", "canary-advice", "--role", "assistant", "--api-key", TestKeys.Client);
        var refused = await RunAsync("moderate", "--server", server, "--text", "hello", "--api-key", TestKeys.Wrong);
        var unknown = await RunAsync("moderate", "--server", server, "--text", "hello", "--policy", "nope", "--api-key", TestKeys.Client);

        Assert.Equal(0, blocked.ExitCode);
        using (var json = JsonDocument.Parse(blocked.Stdout))
        {
            Assert.Equal("DECISION_BLOCK", json.RootElement.GetProperty("decision").GetString());
            Assert.Equal("default", json.RootElement.GetProperty("policyId").GetString());
            Assert.Equal("S1", json.RootElement.GetProperty("reportedCodes")[0].GetString());
        }

        Assert.Equal(0, flagged.ExitCode);
        using (var json = JsonDocument.Parse(flagged.Stdout))
        {
            Assert.Equal("DECISION_FLAG", json.RootElement.GetProperty("decision").GetString());
            Assert.Equal("DIRECTION_OUTPUT", json.RootElement.GetProperty("direction").GetString());
        }

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("Unauthenticated", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("NotFound", unknown.Stderr, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        // The test runs from tests/<project>/bin/<Configuration>/<tfm>/; guardctl was built in the same configuration.
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = baseDir.Parent!.Name;
        var guardctl = RepositoryPaths.Combine("src", "GuardGateway.Cli", "bin", configuration, baseDir.Name, "guardctl.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(guardctl);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
