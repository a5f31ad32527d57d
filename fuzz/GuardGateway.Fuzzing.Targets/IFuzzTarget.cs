namespace GuardGateway.Fuzzing.Targets;

/// <summary>
/// One fuzz target: bytes in, one parser call, invariants checked. Returning normally means a declared outcome;
/// any exception leaving <see cref="Execute"/> is a finding (libFuzzer and the built-in loop both treat it so).
/// Declared exceptions of the parser under test are caught inside the target.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name used by <c>--target</c> and as the corpus folder under <c>fuzz/corpus/</c>.</summary>
    string Name { get; }

    /// <summary>Tokens the built-in mutator splices into inputs (a libFuzzer-style dictionary).</summary>
    IReadOnlyList<byte[]> Dictionary { get; }

    /// <summary>Runs the parser on <paramref name="input"/> and checks its outcome.</summary>
    /// <exception cref="FuzzInvariantException">The outcome broke an invariant.</exception>
    void Execute(ReadOnlySpan<byte> input);
}
