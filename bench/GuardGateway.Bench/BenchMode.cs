namespace GuardGateway.Bench;

/// <summary>One engine configuration to measure.</summary>
internal sealed record BenchMode(string Label, int MaxBatchSize, bool PrefixCache, bool LastPositionLogits);
