using System.Diagnostics;

namespace GuardGateway.Cli.Tests;

/// <summary>Runs the built guardctl (copied beside the tests by the project reference) as a child process.</summary>
internal static class Guardctl
{
    public static async Task<GuardctlResult> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "guardctl.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Models guardctl forges (the demo guard) go to the repository's git-ignored cache, not the user's.
        start.Environment["GUARDGATEWAY_CACHE"] = Path.Combine(GuardGateway.TestUtilities.RepositoryPaths.Cache, "guardctl");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start guardctl");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new GuardctlResult(process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record GuardctlResult(int ExitCode, string StandardOutput, string StandardError);
