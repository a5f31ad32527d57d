using System.Collections.Frozen;

namespace GuardGateway.Redaction.Detection;

/// <summary>
/// IBANs in the electronic (solid) or printed (groups of four) form: a known country code, that country's
/// exact length, and the ISO 13616 mod-97 check (which rejects almost every mistyped or random candidate).
/// </summary>
internal sealed class IbanDetector : IPiiDetector
{
    // SWIFT IBAN registry: country code -> total length.
    private static readonly FrozenDictionary<string, int> Lengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18,
        ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27,
        ["GT"] = 28, ["HN"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20,
        ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20,
        ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24,
        ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25,
        ["SV"] = 28, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
        ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const int MaxLength = 34;

    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        var lookup = Lengths.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> compact = stackalloc char[MaxLength];
        var i = 0;
        while (i + 4 <= text.Length)
        {
            ScanChars.CheckCancellation(i, cancellationToken);
            if (!char.IsAsciiLetterUpper(text[i]) || !char.IsAsciiLetterUpper(text[i + 1]) || !char.IsAsciiDigit(text[i + 2])
                || !char.IsAsciiDigit(text[i + 3]) || ScanChars.IsWordCharAt(text, i - 1)
                || !lookup.TryGetValue(text.AsSpan(i, 2), out var length))
            {
                i++;
                continue;
            }

            var end = Read(text, i, length, compact);
            if (end > 0 && Mod97(compact[..length]) == 1)
            {
                matches.Add(new PiiMatch(i, end - i, PiiKind.Iban));
                i = end;
                continue;
            }

            i++;
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> IBAN characters, allowing one space after each group of four; returns the end or -1.</summary>
    private static int Read(string text, int start, int length, Span<char> compact)
    {
        var count = 0;
        var j = start;
        while (count < length && j < text.Length)
        {
            var c = text[j];
            if (char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            {
                compact[count++] = c;
                j++;
            }
            else if (c == ' ' && count % 4 == 0 && j + 1 < text.Length && char.IsAsciiLetterOrDigit(text[j + 1]))
            {
                j++;
            }
            else
            {
                break;
            }
        }

        return count == length && !ScanChars.IsWordCharAt(text, j) ? j : -1;
    }

    /// <summary>ISO 7064 mod 97-10 over the rearranged IBAN (first four characters moved to the end, letters as 10–35).</summary>
    internal static int Mod97(ReadOnlySpan<char> iban)
    {
        var remainder = 0;
        for (var k = 0; k < iban.Length; k++)
        {
            var c = iban[(k + 4) % iban.Length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }
}
