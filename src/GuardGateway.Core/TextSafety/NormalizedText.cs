namespace GuardGateway.Core.TextSafety;

/// <summary>The result of <see cref="ITextNormalizer.Normalize"/>. Counts are code points, never text.</summary>
/// <param name="Text">The normalized text (the input instance itself when nothing changed).</param>
/// <param name="StrippedCount">
/// Code points removed: format and other default-ignorable characters (zero-width, tag, bidi controls, stray
/// variation selectors) and combining marks dropped from Latin letters.
/// </param>
/// <param name="FoldedCount">Code points replaced: compatibility forms (fullwidth, math letters…) and lookalike letters folded to Latin.</param>
/// <param name="UnpairedSurrogateCount">Unpaired UTF-16 surrogates found (replaced by U+FFFD in <paramref name="Text"/>).</param>
public sealed record NormalizedText(string Text, int StrippedCount, int FoldedCount, int UnpairedSurrogateCount)
{
    /// <summary>True when <see cref="Text"/> differs from the input.</summary>
    public bool Changed { get; init; }
}
