namespace GuardGateway.Core.Moderation;

/// <summary>
/// Tells whether text is in a language Llama Guard 3 was not trained on (it supports en, fr, de, hi, it, pt,
/// es, th), so the policy's <c>unsupported_language</c> rule can apply. Implementations never log the text.
/// </summary>
public interface IUnsupportedLanguageDetector
{
    /// <summary>True when <paramref name="text"/> is confidently in an unsupported language.</summary>
    bool IsUnsupported(string text);
}
