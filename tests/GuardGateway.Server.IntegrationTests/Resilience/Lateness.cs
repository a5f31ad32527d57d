using System.Globalization;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>Percentiles of a set of latencies in milliseconds (nearest rank), for test output.</summary>
internal sealed record Lateness(int Count, double P50, double P99, double Max)
{
    public static Lateness Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Lateness(0, 0, 0, 0);
        }

        double Rank(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Lateness(sorted.Length, Rank(0.50), Rank(0.99), sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"n={Count} p50={P50:0.0} p99={P99:0.0} max={Max:0.0} ms");
}
