namespace GuardGateway.Redaction.Detection;

/// <summary>Issuer identification number (IIN) ranges of the major card networks, with their card lengths.</summary>
internal static class CardIssuers
{
    private readonly record struct Range(int Low, int High, int PrefixDigits, int MinLength, int MaxLength, int[]? Lengths = null);

    private static readonly Range[] Ranges =
    [
        new(4, 4, 1, 13, 19, [13, 16, 19]),      // Visa
        new(51, 55, 2, 16, 16),                  // Mastercard
        new(2221, 2720, 4, 16, 16),              // Mastercard 2-series
        new(34, 34, 2, 15, 15),                  // American Express
        new(37, 37, 2, 15, 15),                  // American Express
        new(300, 305, 3, 14, 19),                // Diners Club
        new(3095, 3095, 4, 14, 19),              // Diners Club
        new(36, 36, 2, 14, 19),                  // Diners Club
        new(38, 39, 2, 14, 19),                  // Diners Club
        new(3528, 3589, 4, 16, 19),              // JCB
        new(6011, 6011, 4, 16, 19),              // Discover
        new(644, 649, 3, 16, 19),                // Discover
        new(65, 65, 2, 16, 19),                  // Discover, RuPay
        new(62, 62, 2, 16, 19),                  // UnionPay (and Discover co-branded 622126–622925)
        new(2200, 2204, 4, 16, 19),              // Mir
        new(5018, 5018, 4, 13, 19),              // Maestro
        new(5020, 5020, 4, 13, 19),              // Maestro
        new(5038, 5038, 4, 13, 19),              // Maestro
        new(5893, 5893, 4, 13, 19),              // Maestro
        new(6304, 6304, 4, 13, 19),              // Maestro
        new(6759, 6759, 4, 13, 19),              // Maestro UK
        new(6761, 6763, 4, 13, 19),              // Maestro
        new(60, 60, 2, 16, 16),                  // RuPay
        new(81, 82, 2, 16, 16),                  // RuPay, UnionPay 81
        new(506099, 506198, 6, 16, 19),          // Verve
    ];

    /// <summary>Whether the digits start with a known IIN and have a length that network issues.</summary>
    public static bool IsKnown(ReadOnlySpan<byte> digits)
    {
        foreach (var range in Ranges)
        {
            if (digits.Length < range.MinLength || digits.Length > range.MaxLength || digits.Length < range.PrefixDigits)
            {
                continue;
            }

            if (range.Lengths is not null && Array.IndexOf(range.Lengths, digits.Length) < 0)
            {
                continue;
            }

            var prefix = 0;
            for (var k = 0; k < range.PrefixDigits; k++)
            {
                prefix = (prefix * 10) + digits[k];
            }

            if (prefix >= range.Low && prefix <= range.High)
            {
                return true;
            }
        }

        return false;
    }
}
