using GuardGateway.Core.TextSafety;

namespace GuardGateway.Core.Moderation;

/// <summary>
/// Input defenses of <see cref="ModerationPipeline"/> (RELIABILITY.md: Unicode obfuscation, conversation-format
/// injection, truncation). The defaults change nothing but the long-input rule: no variant copy, and a prompt
/// too long for the guard is refused (<see cref="Results.GuardErrorCode.PromptTooLong"/>), never allowed.
/// </summary>
public sealed record ModerationPipelineOptions
{
    /// <summary>
    /// Folds obfuscated text for the variant copy (the faithful conversation is always classified as received).
    /// Null: no normalization.
    /// </summary>
    public ITextNormalizer? Normalizer { get; init; }

    /// <summary>Defuses template look-alikes in the variant copy (after normalization). Null: no neutralization.</summary>
    public IPromptNeutralizer? Neutralizer { get; init; }

    /// <summary>
    /// When the guard answers <see cref="Results.GuardErrorCode.PromptTooLong"/>: 0 (default) refuses the
    /// moderation; N &gt; 0 splits the assessed message into at most N overlapping chunks, classifies each
    /// and keeps the strictest decision; a message that would need more chunks is refused.
    /// </summary>
    public int MaxChunks { get; init; }

    /// <summary>Characters (UTF-16 code units) per chunk. Default 4,000 (about 1,000 Llama 3 tokens of English).</summary>
    public int ChunkCharacters { get; init; } = 4_000;

    /// <summary>
    /// Characters shared by consecutive chunks: any phrase up to this long appears whole in some chunk.
    /// Default 256; must be less than half of <see cref="ChunkCharacters"/>.
    /// </summary>
    public int ChunkOverlapCharacters { get; init; } = 256;

    /// <summary>Where the pipeline counts what its defenses did (share one instance to export it as metrics).</summary>
    public TextSafetyCounters Counters { get; init; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxChunks);
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkCharacters, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(ChunkOverlapCharacters);
        if (ChunkOverlapCharacters * 2 >= ChunkCharacters)
        {
            throw new ArgumentOutOfRangeException(nameof(ChunkOverlapCharacters), ChunkOverlapCharacters, "The chunk overlap must be less than half of the chunk size.");
        }

        ArgumentNullException.ThrowIfNull(Counters);
    }
}
