using System.Diagnostics;
using System.Text.RegularExpressions;
using GuardGateway.TestUtilities;

namespace GuardGateway.Core.Tests.SupplyChain;

/// <summary>
/// RELIABILITY.md T25, second half: a locked-mode restore (what scripts/test.sh runs) fails on lock drift.
/// A copy of the repository's props files and of GuardGateway.Policies (one project with packages) with its
/// committed lock file is restored in a temp folder: as committed it restores; with a changed central
/// version, or a lock file whose recorded content hash differs from the package, it is refused. Offline
/// from the NuGet cache after the first case; about 2 s per restore.
/// </summary>
public sealed partial class LockedRestoreTests : IDisposable
{
    private const string Project = "GuardGateway.Policies";
    private readonly string root = Directory.CreateTempSubdirectory("gg-locked-restore-").FullName;

    public LockedRestoreTests()
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(RepositoryPaths.Combine(file), Path.Combine(root, file));
        }

        // Restore reads the project files and lock files only, not the sources.
        foreach (var project in new[] { "GuardGateway.Core", Project })
        {
            var target = Directory.CreateDirectory(Path.Combine(root, "src", project)).FullName;
            File.Copy(RepositoryPaths.Combine("src", project, project + ".csproj"), Path.Combine(target, project + ".csproj"));
            File.Copy(RepositoryPaths.Combine("src", project, "packages.lock.json"), Path.Combine(target, "packages.lock.json"));
        }
    }

    private string LockFile => Path.Combine(root, "src", Project, "packages.lock.json");

    [Fact]
    public async Task LockedRestore_CommittedLockFile_Succeeds()
    {
        var (exitCode, output) = await RestoreLockedAsync();

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task LockedRestore_CentralVersionChanged_FailsWithLockDrift()
    {
        var props = Path.Combine(root, "Directory.Packages.props");
        var text = await File.ReadAllTextAsync(props);
        var changed = YamlDotNetVersion().Replace(text, "${1}99.0.0${2}");
        Assert.NotEqual(text, changed);
        await File.WriteAllTextAsync(props, changed);

        var (exitCode, output) = await RestoreLockedAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("NU1004", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LockedRestore_LockedContentHashDiffers_FailsHashValidation()
    {
        // Make sure the package is in the global cache first, as it is on any machine that built the repo.
        var (baseline, baselineOutput) = await RestoreLockedAsync();
        Assert.True(baseline == 0, baselineOutput);
        var text = await File.ReadAllTextAsync(LockFile);
        var match = YamlDotNetHash().Match(text);
        Assert.True(match.Success, "the lock file records YamlDotNet's content hash");
        var hash = match.Groups[2].Value;
        var forged = (hash[0] == 'A' ? 'B' : 'A') + hash[1..];
        await File.WriteAllTextAsync(LockFile, text.Remove(match.Groups[2].Index, hash.Length).Insert(match.Groups[2].Index, forged));
        Directory.Delete(Path.Combine(root, "src", Project, "obj"), recursive: true);

        var (exitCode, output) = await RestoreLockedAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("NU1403", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(int ExitCode, string Output)> RestoreLockedAsync()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, ["restore", Path.Combine(root, "src", Project, Project + ".csproj"), "--locked-mode", "-nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        // The test host runs under MSBuild-set variables that would point the child at the outer build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("""(<PackageVersion Include="YamlDotNet" Version=")[^"]+(")""")]
    private static partial Regex YamlDotNetVersion();

    [GeneratedRegex(""""YamlDotNet": \{[^}]*?("contentHash": ")([^"]+)"""")]
    private static partial Regex YamlDotNetHash();
}
