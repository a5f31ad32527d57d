using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GuardGateway.Bench.Load.Stub;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), so a burn costs the same CPU
/// however often the shared machine preempts the thread. Elsewhere it falls back to wall time.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    private static readonly bool Available = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>Nanoseconds of CPU this thread has used (or a wall-clock timestamp in nanoseconds).</summary>
    public static long NowNanoseconds() =>
        Available && TryRead(out var ns) ? ns : (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    /// <summary>Whether the burn is measured in thread CPU time (true on Linux).</summary>
    public static bool MeasuresCpu => Available;

    private static bool TryRead(out long nanoseconds)
    {
        nanoseconds = 0;
        try
        {
            if (ClockGetTime(ClockThreadCpuTimeId, out var spec) != 0)
            {
                return false;
            }

            nanoseconds = (spec.Seconds * 1_000_000_000L) + spec.Nanoseconds;
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
