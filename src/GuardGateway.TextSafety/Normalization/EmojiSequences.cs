namespace GuardGateway.TextSafety.Normalization;

/// <summary>
/// The emoji contexts in which otherwise-stripped characters are kept: ZWJ between pictographs, VS15/VS16
/// after a pictograph or a keycap base, and the three RGI subdivision flags (England, Scotland, Wales), the
/// only tag sequences in Unicode's recommended emoji set. Any other tag run is smuggling, not a flag.
/// </summary>
internal static class EmojiSequences
{
    public const int ZeroWidthJoiner = 0x200D;
    public const int TextPresentation = 0xFE0E;
    public const int EmojiPresentation = 0xFE0F;
    public const int CombiningKeycap = 0x20E3;
    public const int BlackFlag = 0x1F3F4;
    public const int CancelTag = 0xE007F;

    private static readonly string[] SubdivisionFlags = ["gbeng", "gbsct", "gbwls"];

    /// <summary>
    /// An approximation of Extended_Pictographic (UTS #51) minus every code point NFKC rewrites (™ ℹ Ⓜ ‼ ⁉,
    /// enclosed letters): a kept VS16 or ZWJ must never end up after a letter (idempotence).
    /// </summary>
    public static bool IsPictographic(int cp) => InPictographicRanges(cp) && NfkcInertness.IsInert(cp);

    private static bool InPictographicRanges(int cp) => cp switch
    {
        0x00A9 or 0x00AE or 0x203C or 0x2049 or 0x2122 or 0x2139 or 0x24C2 => true,
        >= 0x2194 and <= 0x2199 => true,
        0x21A9 or 0x21AA or 0x231A or 0x231B or 0x2328 or 0x23CF => true,
        >= 0x23E9 and <= 0x23F3 => true,
        >= 0x23F8 and <= 0x23FA => true,
        0x25AA or 0x25AB or 0x25B6 or 0x25C0 => true,
        >= 0x25FB and <= 0x25FE => true,
        >= 0x2600 and <= 0x27BF => true,
        0x2934 or 0x2935 => true,
        >= 0x2B05 and <= 0x2B07 => true,
        0x2B1B or 0x2B1C or 0x2B50 or 0x2B55 or 0x3030 or 0x303D or 0x3297 or 0x3299 => true,
        >= 0x1F000 and <= 0x1FAFF => true,
        _ => false,
    };

    public static bool IsKeycapBase(int cp) => cp is (>= '0' and <= '9') or '#' or '*';

    /// <summary>
    /// When <paramref name="text"/> has an RGI subdivision flag's tags at <paramref name="index"/> (right after
    /// U+1F3F4), returns the index after its cancel tag; otherwise -1.
    /// </summary>
    public static int MatchFlagTags(string text, int index)
    {
        foreach (var flag in SubdivisionFlags)
        {
            var at = index;
            var matched = true;
            foreach (var letter in flag)
            {
                if (!TryReadCodePoint(text, at, out var cp) || cp != 0xE0000 + letter)
                {
                    matched = false;
                    break;
                }

                at += 2;
            }

            if (matched && TryReadCodePoint(text, at, out var cancel) && cancel == CancelTag)
            {
                return at + 2;
            }
        }

        return -1;
    }

    private static bool TryReadCodePoint(string text, int index, out int cp)
    {
        if (index + 1 < text.Length && char.IsHighSurrogate(text[index]) && char.IsLowSurrogate(text[index + 1]))
        {
            cp = char.ConvertToUtf32(text[index], text[index + 1]);
            return true;
        }

        cp = 0;
        return false;
    }
}
