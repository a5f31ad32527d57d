using System.Diagnostics;

namespace GuardGateway.TestUtilities;

/// <summary>
/// The real Llama 3 <c>tokenizer.json</c> the tests use (spec §3), fetched by
/// <c>scripts/fetch-test-tokenizer.sh</c> into the git-ignored cache on first use and checked by sha256.
/// </summary>
public static class TestTokenizerFile
{
    private static readonly Lazy<string> PathValue = new(Fetch, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of the cached, verified file (fetching it if the cache is cold).</summary>
    public static string Path => PathValue.Value;

    private static string Fetch()
    {
        var script = RepositoryPaths.Combine("scripts", "fetch-test-tokenizer.sh");
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + script);
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {stderr}");
        }

        return stdout.Trim();
    }
}
