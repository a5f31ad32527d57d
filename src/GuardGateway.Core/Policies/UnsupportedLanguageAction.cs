namespace GuardGateway.Core.Policies;

/// <summary>What to do with text in a language Llama Guard 3 does not support (it supports en, fr, de, hi, it, pt, es, th).</summary>
public enum UnsupportedLanguageAction
{
    /// <summary>Classify as usual.</summary>
    Allow,

    /// <summary>Classify as usual and flag the decision.</summary>
    Flag,

    /// <summary>Refuse.</summary>
    Block,
}
