namespace GuardGateway.Core.Redaction;

/// <summary>The result of <see cref="IRedactor.RedactAsync"/>.</summary>
public sealed record RedactionResult
{
    /// <summary>How the redaction ended.</summary>
    public required RedactionOutcome Outcome { get; init; }

    /// <summary>
    /// The redacted text; the original when <see cref="RedactionOutcome.Unchanged"/>; empty when
    /// <see cref="RedactionOutcome.NotLocalized"/> (never the unsafe original).
    /// </summary>
    public required string Text { get; init; }

    /// <summary>The replacements, in text order, not overlapping.</summary>
    public IReadOnlyList<RedactionReplacement> Replacements { get; init; } = [];

    /// <summary>The segments of the original text (empty when no segment was needed).</summary>
    public IReadOnlyList<TextSegment> Segments { get; init; } = [];

    /// <summary>For <see cref="RedactionOutcome.NotLocalized"/>: the unsafe categories no segment was flagged for.</summary>
    public IReadOnlyList<RedactionCategory> UnlocalizedCategories { get; init; } = [];
}
