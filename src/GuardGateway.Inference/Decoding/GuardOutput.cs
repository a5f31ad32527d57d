namespace GuardGateway.Inference.Decoding;

/// <summary>A parsed guard answer (spec §4).</summary>
/// <param name="Kind">Safe, unsafe or parse failure.</param>
/// <param name="Codes">Violated codes in the order named, without repeats (empty unless unsafe).</param>
/// <param name="FailureReason">Why parsing failed (null unless <see cref="GuardOutputKind.ParseFailure"/>).</param>
public sealed record GuardOutput(GuardOutputKind Kind, IReadOnlyList<string> Codes, string? FailureReason)
{
    /// <summary>The <c>safe</c> answer.</summary>
    public static GuardOutput Safe { get; } = new(GuardOutputKind.Safe, [], null);

    /// <summary>A parse failure with its reason.</summary>
    public static GuardOutput Failure(string reason) => new(GuardOutputKind.ParseFailure, [], reason);
}
