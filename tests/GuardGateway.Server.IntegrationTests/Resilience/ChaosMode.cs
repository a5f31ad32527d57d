namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>The T1 chaos modes on the classifier pipeline.</summary>
public enum ChaosMode
{
    Fault100,
    Fault50,
    Fault10,
    LatencyOverDeadline,
    GarbageOutcome,
    ClassifierThrows,
}
