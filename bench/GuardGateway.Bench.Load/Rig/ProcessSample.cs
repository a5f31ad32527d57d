namespace GuardGateway.Bench.Load.Rig;

/// <summary>
/// The process at one moment: resident memory, the managed heap as the last GC left it (tells retained objects from
/// memory the runtime keeps), open file descriptors, threads, 1-minute load average.
/// </summary>
internal sealed record ProcessSample(TimeSpan At, double RssMb, double HeapMb, int Handles, int Threads, double LoadAverage)
{
    /// <summary>Reads /proc/self (Linux); elsewhere the working set and the runtime's own counts.</summary>
    public static ProcessSample Take(TimeSpan at)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var handles = Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : process.HandleCount;
        var threads = Directory.Exists("/proc/self/task") ? Directory.GetDirectories("/proc/self/task").Length : process.Threads.Count;
        const double Mb = 1024.0 * 1024.0;
        return new ProcessSample(at, process.WorkingSet64 / Mb, GC.GetGCMemoryInfo().HeapSizeBytes / Mb, handles, threads, Hosting.BenchMachine.LoadAverage1());
    }
}
