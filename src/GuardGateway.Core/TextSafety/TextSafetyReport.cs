namespace GuardGateway.Core.TextSafety;

/// <summary>
/// What the moderation pipeline's input defenses did for one decision (counts only, never text): for
/// metrics, response headers and audits.
/// </summary>
public sealed record TextSafetyReport
{
    /// <summary>Code points the normalizer stripped over all messages of the slice.</summary>
    public int StrippedChars { get; init; }

    /// <summary>Code points the normalizer folded (compatibility forms, lookalikes) over all messages.</summary>
    public int FoldedChars { get; init; }

    /// <summary>Template look-alikes the neutralizer defused over all messages.</summary>
    public int DefusedPatterns { get; init; }

    /// <summary>True when a normalized + neutralized copy was classified besides the faithful conversation.</summary>
    public bool VariantClassified { get; init; }

    /// <summary>True when that copy's decision was the stricter one and is the decision reported.</summary>
    public bool VariantDecided { get; init; }

    /// <summary>Chunks classified because the prompt was too long (0 when it fitted), over both copies.</summary>
    public int Chunks { get; init; }

    /// <summary>Chunk classifications that had to drop the earlier turns to fit (the chunk itself is never cut).</summary>
    public int ChunksWithoutContext { get; init; }
}
