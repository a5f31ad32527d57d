namespace GuardGateway.Redaction.Detection;

/// <summary>A personal-data pattern match.</summary>
/// <param name="Start">UTF-16 offset of the first character.</param>
/// <param name="Length">UTF-16 length.</param>
/// <param name="Kind">What matched.</param>
public readonly record struct PiiMatch(int Start, int Length, PiiKind Kind)
{
    /// <summary>UTF-16 offset one past the last character.</summary>
    public int End => Start + Length;
}
