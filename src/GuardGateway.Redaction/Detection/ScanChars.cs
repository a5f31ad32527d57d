namespace GuardGateway.Redaction.Detection;

/// <summary>Character tests shared by the scanners.</summary>
internal static class ScanChars
{
    /// <summary>How many characters a scanner walks between cancellation checks.</summary>
    public const int CancellationStride = 4096;

    /// <summary>Letters, digits and <c>_</c>: a match may not continue into one of these.</summary>
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    public static bool IsWordCharAt(string text, int index) => index >= 0 && index < text.Length && IsWordChar(text[index]);

    public static bool IsDigitAt(string text, int index) => index >= 0 && index < text.Length && char.IsAsciiDigit(text[index]);

    public static void CheckCancellation(int index, CancellationToken cancellationToken)
    {
        if (index % CancellationStride == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
