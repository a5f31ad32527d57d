namespace GuardGateway.Redaction.Detection;

/// <summary>
/// Payment card numbers: 13–19 digits, written solid or in the printed groupings (4-4-4-4…, Amex 4-6-5,
/// Diners 4-6-4) with one kind of separator (space or dash), a known issuer prefix and a valid Luhn check.
/// All three must hold, so plain numbers in prose are not taken for cards.
/// </summary>
internal sealed class PaymentCardDetector : IPiiDetector
{
    private const int MinDigits = 13;
    private const int MaxDigits = 19;

    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        var groups = new List<(int Start, int Length)>();
        var i = 0;
        while (i < text.Length)
        {
            ScanChars.CheckCancellation(i, cancellationToken);
            if (!char.IsAsciiDigit(text[i]) || !IsRunStart(text, i))
            {
                i++;
                continue;
            }

            var runEnd = ReadGroups(text, i, groups, out var separator);
            if (IsRunEnd(text, runEnd))
            {
                FindCards(text, groups, separator, matches);
            }

            i = Math.Max(runEnd, i + 1);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static bool IsRunStart(string text, int index)
    {
        if (index == 0)
        {
            return true;
        }

        var before = text[index - 1];
        return !ScanChars.IsWordChar(before) && !(before is '.' or ',' or '-' && ScanChars.IsDigitAt(text, index - 2));
    }

    private static bool IsRunEnd(string text, int index) =>
        index >= text.Length || (!ScanChars.IsWordChar(text[index]) && !(text[index] is '.' or ',' or '-' && ScanChars.IsDigitAt(text, index + 1)));

    /// <summary>Reads digit groups joined by a single separator (the same one throughout).</summary>
    private static int ReadGroups(string text, int start, List<(int Start, int Length)> groups, out char separator)
    {
        groups.Clear();
        separator = '\0';
        var j = start;
        while (true)
        {
            var groupStart = j;
            while (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                j++;
            }

            groups.Add((groupStart, j - groupStart));
            var next = j < text.Length ? text[j] : '\0';
            if (next is ' ' or '-' && (separator == '\0' || separator == next) && ScanChars.IsDigitAt(text, j + 1))
            {
                separator = next;
                j++;
                continue;
            }

            return j;
        }
    }

    private static void FindCards(string text, List<(int Start, int Length)> groups, char separator, List<PiiMatch> matches)
    {
        var g = 0;
        while (g < groups.Count)
        {
            var found = false;
            var digits = 0;
            for (var h = g; h < groups.Count && !found; h++)
            {
                digits += groups[h].Length;
                if (digits > MaxDigits)
                {
                    break;
                }

                // A window inside a dash-joined run is part of one longer token; only space-separated runs split.
                var atRunEdges = (g == 0 && h == groups.Count - 1) || separator == ' ';
                if (digits >= MinDigits && atRunEdges && IsPrintedGrouping(groups, g, h))
                {
                    var start = groups[g].Start;
                    var end = groups[h].Start + groups[h].Length;
                    if (IsCardNumber(text, start, end, digits))
                    {
                        matches.Add(new PiiMatch(start, end - start, PiiKind.PaymentCard));
                        g = h + 1;
                        found = true;
                    }
                }
            }

            if (!found)
            {
                g++;
            }
        }
    }

    private static bool IsPrintedGrouping(List<(int Start, int Length)> groups, int g, int h)
    {
        var count = h - g + 1;
        if (count == 1)
        {
            return true;
        }

        if (count == 3 && groups[g].Length == 4 && groups[g + 1].Length == 6 && groups[h].Length is 4 or 5)
        {
            return true; // Amex 4-6-5, Diners 4-6-4
        }

        for (var k = g; k < h; k++)
        {
            if (groups[k].Length != 4)
            {
                return false;
            }
        }

        return groups[h].Length is >= 1 and <= 4;
    }

    private static bool IsCardNumber(string text, int start, int end, int digitCount)
    {
        Span<byte> digits = stackalloc byte[MaxDigits];
        var n = 0;
        for (var k = start; k < end; k++)
        {
            if (char.IsAsciiDigit(text[k]))
            {
                digits[n++] = (byte)(text[k] - '0');
            }
        }

        return n == digitCount && CardIssuers.IsKnown(digits[..n]) && Luhn.IsValid(digits[..n]);
    }
}
