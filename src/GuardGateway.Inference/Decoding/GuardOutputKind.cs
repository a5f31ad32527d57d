namespace GuardGateway.Inference.Decoding;

/// <summary>What the guard's text answer says.</summary>
public enum GuardOutputKind
{
    /// <summary>Exactly <c>safe</c>.</summary>
    Safe,

    /// <summary><c>unsafe</c> followed by a list of enabled codes.</summary>
    Unsafe,

    /// <summary>Anything else. Never read as safe: the policy's fail mode decides.</summary>
    ParseFailure,
}
