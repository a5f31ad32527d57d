namespace GuardGateway.Bench.Hosting;

/// <summary>Where the benches run: the repository root and the machine's load (other jobs share the 2 cores).</summary>
public static class BenchMachine
{
    /// <summary>", load average 1.23 0.98 0.75" from /proc/loadavg (empty elsewhere): how noisy the figures are.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? ", load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : string.Empty;

    /// <summary>The 1-minute load average, or NaN where /proc/loadavg is missing.</summary>
    public static double LoadAverage1() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    /// <summary>The directory holding GuardGateway.sln above the binary (the working directory when none).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GuardGateway.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>An HTTP client for loopback load: many connections, no client timeout (each call has its own).</summary>
    public static HttpClient NewClient(string url, int connections = 64) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
}
