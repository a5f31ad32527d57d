namespace GuardGateway.Core.Redaction;

/// <summary>One replaced span: where it was in the original text and where its replacement is in the result.</summary>
/// <param name="OriginalStart">UTF-16 offset of the removed span in the original text.</param>
/// <param name="OriginalLength">UTF-16 length of the removed span.</param>
/// <param name="RedactedStart">UTF-16 offset of the replacement in the redacted text.</param>
/// <param name="RedactedLength">UTF-16 length of the replacement.</param>
/// <param name="Categories">Every category of the merged spans, each once, in order of first appearance in the text.</param>
public sealed record RedactionReplacement(int OriginalStart, int OriginalLength, int RedactedStart, int RedactedLength, IReadOnlyList<RedactionCategory> Categories)
{
    /// <summary>UTF-16 offset one past the removed span in the original text.</summary>
    public int OriginalEnd => OriginalStart + OriginalLength;

    /// <summary>UTF-16 offset one past the replacement in the redacted text.</summary>
    public int RedactedEnd => RedactedStart + RedactedLength;
}
