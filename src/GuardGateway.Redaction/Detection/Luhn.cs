namespace GuardGateway.Redaction.Detection;

/// <summary>The Luhn (mod 10) check digit algorithm used by payment card numbers.</summary>
internal static class Luhn
{
    /// <summary>Whether the digits (values 0–9, check digit last) pass the Luhn check.</summary>
    public static bool IsValid(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var k = digits.Length - 1; k >= 0; k--)
        {
            var d = digits[k];
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }
}
