namespace GuardGateway.Core.Classification;

/// <summary>What the guard said, after strict parsing.</summary>
public enum GuardOutcome
{
    /// <summary>The answer was exactly <c>safe</c> and P(unsafe) was under the category threshold.</summary>
    Safe,

    /// <summary>The answer named violated categories (or was forced because P(unsafe) crossed the threshold).</summary>
    Unsafe,

    /// <summary>The answer broke the grammar: no verdict. Never read as safe; the policy's fail mode decides.</summary>
    ParseFailure,
}
