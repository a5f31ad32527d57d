namespace GuardGateway.Redaction.Detection;

/// <summary>
/// Dotted-quad IPv4 addresses with octets 0–255 and no leading zeros. A fifth dotted number ("1.2.3.4.5",
/// a version) or an octet above 255 ("999.1.1.1") rejects the candidate; a port ("10.0.0.1:8080") stays
/// outside the match.
/// </summary>
internal sealed class IPv4Detector : IPiiDetector
{
    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        var i = 0;
        while (i < text.Length)
        {
            ScanChars.CheckCancellation(i, cancellationToken);
            if (!char.IsAsciiDigit(text[i]) || IsJoinedBefore(text, i))
            {
                i++;
                continue;
            }

            var end = TryRead(text, i);
            if (end > 0)
            {
                matches.Add(new PiiMatch(i, end - i, PiiKind.IPv4Address));
                i = end;
                continue;
            }

            // Skip the rest of this number: no address starts inside it.
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }
    }

    private static bool IsJoinedBefore(string text, int index) =>
        index > 0 && (ScanChars.IsWordChar(text[index - 1]) || (text[index - 1] == '.' && ScanChars.IsDigitAt(text, index - 2)));

    /// <summary>Reads four octets at <paramref name="start"/>; returns the end or -1.</summary>
    internal static int TryRead(string text, int start)
    {
        var j = start;
        for (var octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (j >= text.Length || text[j] != '.')
                {
                    return -1;
                }

                j++;
            }

            var digitsStart = j;
            var value = 0;
            while (j < text.Length && char.IsAsciiDigit(text[j]) && j - digitsStart < 4)
            {
                value = (value * 10) + (text[j] - '0');
                j++;
            }

            var digits = j - digitsStart;
            if (digits is 0 or > 3 || value > 255 || (digits > 1 && text[digitsStart] == '0'))
            {
                return -1;
            }
        }

        if (ScanChars.IsWordCharAt(text, j) || (j < text.Length && text[j] == '.' && ScanChars.IsDigitAt(text, j + 1)))
        {
            return -1;
        }

        return j;
    }
}
