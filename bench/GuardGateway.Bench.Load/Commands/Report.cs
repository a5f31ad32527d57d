using System.Globalization;
using GuardGateway.Bench.Hosting;
using GuardGateway.Bench.Load.Stub;

namespace GuardGateway.Bench.Load.Commands;

/// <summary>Console output of the benches: invariant culture, the machine line, pass/fail lines.</summary>
internal static class Report
{
    private static int failures;

    public static CultureInfo Culture => CultureInfo.InvariantCulture;

    /// <summary>Criteria failed so far (the exit code is 1 when any did).</summary>
    public static int Failures => failures;

    public static void Line(FormattableString text) => Console.WriteLine(text.ToString(Culture));

    public static void Machine(string what) => Line(
        $"{what}: {Environment.ProcessorCount} cores{BenchMachine.LoadAverage()}; stub burn measured in {(ThreadCpuClock.MeasuresCpu ? "thread CPU time" : "wall time")}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

    public static void Criterion(string name, bool pass, FormattableString measured)
    {
        if (!pass)
        {
            Interlocked.Increment(ref failures);
        }

        Console.WriteLine($"  [{(pass ? "PASS" : "FAIL")}] {name}: {measured.ToString(Culture)}");
    }
}
