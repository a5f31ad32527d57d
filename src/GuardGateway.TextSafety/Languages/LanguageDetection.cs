namespace GuardGateway.TextSafety.Languages;

/// <summary>The result of <see cref="ScriptLanguageDetector.Detect"/>.</summary>
/// <param name="Verdict">Supported, unsupported or unknown.</param>
/// <param name="Language">
/// An ISO 639-1 code (<c>en</c>, <c>ru</c>…) or, for a script whose language is not told apart, a script tag
/// (<c>und-Cyrl</c>); null when unknown.
/// </param>
/// <param name="Reason">Why, in a few words (never quotes the text).</param>
public sealed record LanguageDetection(LanguageVerdict Verdict, string? Language, string Reason);
