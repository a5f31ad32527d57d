namespace GuardGateway.Bench.Load.Commands;

/// <summary>T9a's outcome: C (allowed answers/s at the best step with p99 under the bound), its concurrency and latencies.</summary>
internal sealed record CapacityResult(double C, int Concurrency, double P50, double P99);
