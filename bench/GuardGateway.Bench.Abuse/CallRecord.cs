using Grpc.Core;

namespace GuardGateway.Bench.Abuse;

/// <summary>One client call: start and end in seconds on the bench clock, its status, and a short detail for errors.</summary>
internal sealed record CallRecord(double Start, double End, StatusCode Status, string Detail)
{
    public double LatencyMs => (End - Start) * 1000;
}
