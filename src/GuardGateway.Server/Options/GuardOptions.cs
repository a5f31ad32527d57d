namespace GuardGateway.Server.Options;

/// <summary>The guard model and the policies (configuration section <c>Guard</c>).</summary>
public sealed class GuardOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Guard";

    /// <summary>
    /// A Llama Guard 3 ONNX model directory. Empty (the default) = the planted demo guard, forged on first
    /// start into <see cref="DemoModelCachePath"/>: a test model, not a safety model, and labelled so everywhere.
    /// </summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Where the demo model is forged and cached. Empty (the default) = <c>.cache/planted-guard</c> under the repository or app folder.</summary>
    public string DemoModelCachePath { get; set; } = string.Empty;

    /// <summary>The policy directory (<c>*.yaml</c>). Empty (the default) = the <c>policies</c> folder of the repository or app.</summary>
    public string PoliciesPath { get; set; } = string.Empty;

    /// <summary>The policy used when neither the request nor a binding names one. Default <c>default</c>.</summary>
    public string DefaultPolicy { get; set; } = "default";

    /// <summary>
    /// Messages over the guard's prompt limit (<c>Guard:Inference:MaxPromptTokens</c>): 0 (the default) rejects
    /// them (<c>INVALID_ARGUMENT</c>, reason <c>PROMPT_TOO_LONG</c>); N &gt; 0 classifies up to N overlapping
    /// chunks of the assessed message in context, strictest wins. Never truncated silently. Range 0–64.
    /// </summary>
    public int LongInputMaxChunks { get; set; }

    /// <summary>
    /// Whether the Unicode normalizer drops ordinary accents on Latin letters too (café → cafe). True (the default)
    /// undoes accent-substitution obfuscation (bómb), at the price of a second classification for nearly every
    /// French, German, Spanish, Portuguese or Italian message (the normalized copy differs from the original).
    /// False keeps accents that compose into a precomposed letter (é, ñ, ü) and still drops stacked or stray marks:
    /// the choice for deployments serving mostly those languages.
    /// </summary>
    public bool NormalizeStripsAccents { get; set; } = true;
}
