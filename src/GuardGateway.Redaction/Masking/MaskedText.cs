using GuardGateway.Core.Redaction;

namespace GuardGateway.Redaction.Masking;

/// <summary>The output of <see cref="TextMasker"/>.</summary>
/// <param name="Text">The text with every span replaced.</param>
/// <param name="Replacements">What was replaced, in text order, not overlapping.</param>
public sealed record MaskedText(string Text, IReadOnlyList<RedactionReplacement> Replacements);
