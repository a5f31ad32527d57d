using System.Text;

namespace GuardGateway.TextSafety.Normalization;

/// <summary>Whether NFKC leaves a single code point as it is; cached for the BMP.</summary>
internal static class NfkcInertness
{
    // 0 unknown, 1 inert, 2 changed by NFKC. Races are benign: every writer stores the same byte.
    private static readonly byte[] BmpCache = new byte[0x10000];

    public static bool IsInert(int cp)
    {
        if (cp < 0x80)
        {
            return true;
        }

        if (cp > 0xFFFF)
        {
            return char.ConvertFromUtf32(cp).IsNormalized(NormalizationForm.FormKC);
        }

        if (cp is >= 0xD800 and <= 0xDFFF)
        {
            return true;
        }

        var known = BmpCache[cp];
        if (known == 0)
        {
            known = char.ToString((char)cp).IsNormalized(NormalizationForm.FormKC) ? (byte)1 : (byte)2;
            BmpCache[cp] = known;
        }

        return known == 1;
    }
}
