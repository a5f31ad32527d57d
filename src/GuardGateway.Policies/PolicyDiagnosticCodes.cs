namespace GuardGateway.Policies;

/// <summary>The stable diagnostic codes of policy validation (kebab-case; printed by <c>guardctl policy lint</c>).</summary>
public static class PolicyDiagnosticCodes
{
    /// <summary>The text is not valid YAML.</summary>
    public const string YamlSyntax = "yaml-syntax";

    /// <summary>Valid YAML that policies do not use: several documents, complex keys, unknown aliases, deep nesting, oversized files.</summary>
    public const string YamlUnsupported = "yaml-unsupported";

    /// <summary>A key appears twice in one mapping.</summary>
    public const string DuplicateKey = "duplicate-key";

    /// <summary>A key the policy format does not know (often a typo; the message suggests the closest key).</summary>
    public const string UnknownKey = "unknown-key";

    /// <summary>A required key is missing or empty.</summary>
    public const string MissingKey = "missing-key";

    /// <summary>A mapping, list or value where another kind was expected.</summary>
    public const string InvalidType = "invalid-type";

    /// <summary>A value outside its allowed set (fail mode, language handling, booleans, multi-line names…).</summary>
    public const string InvalidValue = "invalid-value";

    /// <summary>A policy id that is not lower-case letters, digits, '-' and '_' (at most 64).</summary>
    public const string InvalidId = "invalid-id";

    /// <summary>The id differs from the file name (admin operations address policies by file).</summary>
    public const string IdMismatch = "id-mismatch";

    /// <summary>Two files define the same policy id.</summary>
    public const string DuplicateId = "duplicate-id";

    /// <summary>A category code not of the form S&lt;n&gt;.</summary>
    public const string InvalidCode = "invalid-code";

    /// <summary>A category code defined twice.</summary>
    public const string DuplicateCode = "duplicate-code";

    /// <summary>A code that is neither a category of the policy nor (without a prompt) a default category of its format.</summary>
    public const string UnknownCode = "unknown-code";

    /// <summary>A threshold that is not a number in [0, 1].</summary>
    public const string InvalidThreshold = "invalid-threshold";

    /// <summary>An action other than allow, flag, redact, block.</summary>
    public const string InvalidAction = "invalid-action";

    /// <summary>A prompt format id that does not exist.</summary>
    public const string UnknownFormat = "unknown-format";

    /// <summary>A prompt format the loaded model cannot serve.</summary>
    public const string UnsupportedFormat = "unsupported-format";

    /// <summary>No categories, or every category excluded.</summary>
    public const string EmptyCategories = "empty-categories";

    /// <summary>A redaction template with placeholders other than {code} and {name}.</summary>
    public const string InvalidTemplate = "invalid-template";

    /// <summary>An API key id or model bound by two policies.</summary>
    public const string BindingClash = "binding-clash";

    /// <summary>The configured default policy is not in the set (or its format cannot be served).</summary>
    public const string MissingDefault = "missing-default";

    /// <summary>The file could not be read.</summary>
    public const string FileUnreadable = "file-unreadable";
}
