namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>
/// One T1 request: its id, what the client saw, when the answer arrived (<see cref="Elapsed"/>, from just before the
/// send) and when a plain timer of the classifier deadline, started at the same instant in the same process, fired
/// (<see cref="ReferenceFired"/>): the scheduling noise the answer shares with any timer.
/// </summary>
internal sealed record ChaosCall(string Id, ChaosCallOutcome Outcome, TimeSpan Elapsed, TimeSpan ReferenceFired, string Detail);
