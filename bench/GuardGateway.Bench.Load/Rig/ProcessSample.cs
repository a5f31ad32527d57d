namespace GuardGateway.Bench.Load.Rig;

/// <summary>The process at one moment: resident memory, open file descriptors, threads, 1-minute load average.</summary>
internal sealed record ProcessSample(TimeSpan At, double RssMb, int Handles, int Threads, double LoadAverage)
{
    /// <summary>Reads /proc/self (Linux); elsewhere the working set and the runtime's own counts.</summary>
    public static ProcessSample Take(TimeSpan at)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var handles = Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : process.HandleCount;
        var threads = Directory.Exists("/proc/self/task") ? Directory.GetDirectories("/proc/self/task").Length : process.Threads.Count;
        return new ProcessSample(at, process.WorkingSet64 / (1024.0 * 1024.0), handles, threads, Hosting.BenchMachine.LoadAverage1());
    }
}
