using System.Diagnostics;

namespace GuardGateway.Bench.Abuse;

/// <summary>Samples a process's RSS and CPU time every 250 ms on a shared clock (bounded by the caller's token).</summary>
internal sealed class ResourceSampler(int pid, Stopwatch clock)
{
    private readonly List<(double T, double RssMb, double Cpu)> samples = [];

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var sample = (clock.Elapsed.TotalSeconds, ProcessProbe.RssMb(pid), ProcessProbe.CpuSeconds(pid));
            lock (samples)
            {
                samples.Add(sample);
            }

            try
            {
                await Task.Delay(250, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>CPU use between two times, in percent of one core.</summary>
    public double CpuPercent(double from, double to)
    {
        lock (samples)
        {
            var inside = samples.Where(s => s.T >= from && s.T <= to).ToList();
            return inside.Count < 2 ? double.NaN : (inside[^1].Cpu - inside[0].Cpu) / (inside[^1].T - inside[0].T) * 100;
        }
    }

    public double PeakRssMb(double from, double to)
    {
        lock (samples)
        {
            return samples.Where(s => s.T >= from && s.T <= to).Select(s => s.RssMb).DefaultIfEmpty(double.NaN).Max();
        }
    }

    public double RssMbAt(double t)
    {
        lock (samples)
        {
            return samples.LastOrDefault(s => s.T <= t, samples.FirstOrDefault()).RssMb;
        }
    }

    /// <summary>
    /// Seconds after <paramref name="end"/> until a 1 s window's CPU is at most <paramref name="threshold"/> (percent of
    /// one core), looking up to <paramref name="limit"/> seconds; null when it never was.
    /// </summary>
    public double? RecoveryAfter(double end, double threshold, double limit)
    {
        for (var t = end; t + 1 <= end + limit; t += 0.25)
        {
            var cpu = CpuPercent(t, t + 1);
            if (!double.IsNaN(cpu) && cpu <= threshold)
            {
                return t - end;
            }
        }

        return null;
    }
}
