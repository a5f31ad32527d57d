namespace GuardGateway.Core.Redaction;

/// <summary>A span of text to remove.</summary>
/// <param name="Start">UTF-16 offset of the first character.</param>
/// <param name="Length">UTF-16 length; 0 removes nothing.</param>
/// <param name="Category">What the span is removed for.</param>
public readonly record struct RedactionSpan(int Start, int Length, RedactionCategory Category)
{
    /// <summary>UTF-16 offset one past the last character.</summary>
    public int End => Start + Length;
}
