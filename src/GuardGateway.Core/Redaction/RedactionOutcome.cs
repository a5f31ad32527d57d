namespace GuardGateway.Core.Redaction;

/// <summary>How a redaction ended.</summary>
public enum RedactionOutcome
{
    /// <summary>Nothing was flagged or detected; the text is unchanged.</summary>
    Unchanged,

    /// <summary>At least one span was replaced.</summary>
    Redacted,

    /// <summary>
    /// The whole text was unsafe for a category no segment was flagged for: redaction cannot localize it and
    /// the caller must turn <c>redact</c> into <c>block</c>. No text is returned.
    /// </summary>
    NotLocalized,
}
