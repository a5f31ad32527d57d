namespace GuardGateway.Fuzzing.Targets.Running;

/// <summary>One crash or hang: the input and what went wrong.</summary>
/// <param name="Kind">"crash" (an exception left the target) or "hang" (one input ran longer than the limit).</param>
/// <param name="Input">The input bytes.</param>
/// <param name="Description">The exception type and message, or the time taken.</param>
public sealed record FuzzFinding(string Kind, byte[] Input, string Description);
