namespace GuardGateway.TextSafety.Languages;

/// <summary>What a language detection concluded.</summary>
public enum LanguageVerdict
{
    /// <summary>Too short, mixed or ambiguous: no claim either way (the unsupported-language rule does not apply).</summary>
    Unknown,

    /// <summary>Confidently one of Llama Guard 3's languages (en, fr, de, hi, it, pt, es, th).</summary>
    Supported,

    /// <summary>Confidently another language.</summary>
    Unsupported,
}
