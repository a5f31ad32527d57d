namespace GuardGateway.Bench.Load.Rig;

/// <summary>One request: how it was answered, its latency from send to the whole answer, and the status/code seen.</summary>
internal sealed record CallResult(CallKind Kind, double Ms, string Detail);
