namespace GuardGateway.Bench;

/// <summary>What one mode measured.</summary>
internal sealed record BenchResult(
    BenchMode Mode,
    int Requests,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double PrefillTokensPerRequest,
    double PromptTokensPerRequest,
    double MeanPrefillMs,
    double MeanBatch,
    int Failures)
{
    public double RequestsPerSecond => Requests / Seconds;
}
