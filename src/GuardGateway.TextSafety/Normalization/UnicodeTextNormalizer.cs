using System.Globalization;
using System.Text;
using GuardGateway.Core.TextSafety;

namespace GuardGateway.TextSafety.Normalization;

/// <summary>
/// The gateway's <see cref="ITextNormalizer"/> (RELIABILITY.md, Unicode obfuscation; arXiv:2504.11168). In order:
/// <list type="number">
/// <item>Unpaired surrogates become U+FFFD and are counted (the pipeline refuses such input before this runs;
/// replacing keeps the normalizer total for other callers).</item>
/// <item>Format (Cf) and other default-ignorable characters, and noncharacters (U+FFFE, U+FDD0…), are stripped: zero-width characters, soft hyphen,
/// bidi controls, tag characters, stray variation selectors, Hangul fillers. Kept: ZWJ between pictographs,
/// VS15/VS16 after a pictograph or keycap base, and the England/Scotland/Wales flag tag sequences. The payload of
/// stripped tag characters (ASCII smuggled as U+E0020–U+E007E) is revealed: decoded and appended on a line of
/// its own, so text hidden from readers but read by a model is in front of the guard too.</item>
/// <item>NFKD, then per word (a run of letters, digits and marks): lookalike letters are folded to Latin
/// (<see cref="Confusables"/>) when the word has a Latin letter or consists of lookalikes only, so genuine
/// Cyrillic or Greek words stay intact; nonspacing marks on ASCII letters are dropped (by default all of them,
/// see <see cref="UnicodeTextNormalizer(bool)"/>).</item>
/// <item>NFKC recomposes the rest.</item>
/// </list>
/// Linear in the input; ASCII-only input is returned as is without allocating. Idempotent.
/// </summary>
public sealed class UnicodeTextNormalizer : ITextNormalizer
{
    /// <summary>Creates a normalizer.</summary>
    /// <param name="stripComposableAccents">
    /// True (default): every nonspacing mark on an ASCII letter is dropped, including ordinary accents (café →
    /// cafe), so accent-substitution obfuscation (bómb) is undone; the price is that nearly every French, German,
    /// Spanish, Portuguese or Italian message differs from its normalized form and costs a second classification.
    /// False: a mark that composes with its letter into a precomposed Latin letter (é, ñ, ü) is kept; only marks
    /// that compose with nothing (stacked, "Zalgo", marks on letters that take none) are dropped.
    /// </param>
    public UnicodeTextNormalizer(bool stripComposableAccents = true) => StripComposableAccents = stripComposableAccents;

    /// <summary>A shared instance with the defaults.</summary>
    public static UnicodeTextNormalizer Instance { get; } = new();

    /// <summary>Whether ordinary accents on Latin letters are dropped too (see the constructor).</summary>
    public bool StripComposableAccents { get; }

    /// <inheritdoc />
    public NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return new NormalizedText(text, 0, 0, 0);
        }

        var visible = Strip(text, out var stripped, out var surrogates, out var payload, out var lunate);
        var folded = lunate + CountCompatibilityForms(visible);
        var decomposed = visible.Normalize(NormalizationForm.FormKD);
        var body = FoldWordsAndDropMarks(decomposed, ref stripped, ref folded).Normalize(NormalizationForm.FormKC);
        var result = payload is null ? body : string.Concat(body, "\n", payload);
        var changed = !string.Equals(result, text, StringComparison.Ordinal);
        return new NormalizedText(changed ? result : text, stripped, folded, surrogates) { Changed = changed };
    }

    /// <summary>Removes ignorable code points (keeping the emoji allow-list) and collects tag payloads.</summary>
    private static string Strip(string text, out int stripped, out int surrogates, out string? payload, out int lunate)
    {
        lunate = 0;
        var output = new StringBuilder(text.Length);
        StringBuilder? tags = null;
        stripped = 0;
        surrogates = 0;
        var previous = -1; // the last code point kept
        var previousWasTag = false;
        for (var i = 0; i < text.Length;)
        {
            int cp;
            int width;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                width = 2;
            }
            else if (char.IsSurrogate(text[i]))
            {
                cp = 0xFFFD;
                width = 1;
                surrogates++;
            }
            else
            {
                cp = text[i];
                width = 1;
            }

            var isTag = cp is >= 0xE0000 and <= 0xE007F;
            if (cp == EmojiSequences.BlackFlag)
            {
                var end = EmojiSequences.MatchFlagTags(text, i + 2);
                if (end > 0)
                {
                    output.Append(text, i, end - i);
                    previous = EmojiSequences.CancelTag;
                    previousWasTag = false;
                    i = end;
                    continue;
                }
            }

            if (isTag)
            {
                stripped++;
                if (cp is >= 0xE0020 and <= 0xE007E)
                {
                    tags ??= new StringBuilder();
                    if (!previousWasTag && tags.Length > 0)
                    {
                        tags.Append(' ');
                    }

                    tags.Append((char)(cp - 0xE0000));
                }

                previousWasTag = true;
                i += width;
                continue;
            }

            previousWasTag = false;
            if (IsNoncharacter(cp))
            {
                // Not for interchange, and .NET's normalization throws ArgumentException on U+FFFE/U+FFFF (found by
                // the T16 fuzzer): stripped like other invisible characters, before anything normalizes.
                stripped++;
                i += width;
                continue;
            }

            if (cp is 0x03F2 or 0x03F9)
            {
                // Lunate sigma looks like c but NFKD turns it into σ, which does not: fold it before decomposing.
                output.Append(cp == 0x03F2 ? 'c' : 'C');
                lunate++;
                previous = cp;
                i += width;
                continue;
            }

            if (Keep(cp, previous, text, i + width))
            {
                if (char.IsSurrogate(text[i]) && width == 1)
                {
                    output.Append('\uFFFD');
                }
                else
                {
                    output.Append(text, i, width);
                }

                previous = cp;
            }
            else
            {
                stripped++;
            }

            i += width;
        }

        payload = tags?.ToString();
        return output.ToString();
    }

    private static bool Keep(int cp, int previous, string text, int next)
    {
        switch (cp)
        {
            case EmojiSequences.ZeroWidthJoiner:
                return IsEmojiContext(previous) && next < text.Length && EmojiSequences.IsPictographic(CodePointAt(text, next));
            case EmojiSequences.EmojiPresentation or EmojiSequences.TextPresentation:
                return EmojiSequences.IsPictographic(previous)
                    || (EmojiSequences.IsKeycapBase(previous) && next < text.Length && text[next] == (char)EmojiSequences.CombiningKeycap);
            default:
                return !IsIgnorable(cp);
        }
    }

    private static bool IsEmojiContext(int previous) =>
        EmojiSequences.IsPictographic(previous) || previous is EmojiSequences.EmojiPresentation or EmojiSequences.CancelTag;

    /// <summary>The 66 noncharacters: U+FDD0–U+FDEF and the last two code points of every plane.</summary>
    internal static bool IsNoncharacter(int cp) => cp is >= 0xFDD0 and <= 0xFDEF || (cp & 0xFFFE) == 0xFFFE;

    /// <summary>Format characters and the other default-ignorable code points (DerivedCoreProperties.txt).</summary>
    internal static bool IsIgnorable(int cp) => cp switch
    {
        0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFFA0 => true,
        >= 0x180B and <= 0x180F => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xFFF0 and <= 0xFFF8 => true,
        >= 0xE0000 and <= 0xE0FFF => true,
        _ => CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.Format,
    };

    private static int CountCompatibilityForms(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] < 0x80)
            {
                continue;
            }

            var cp = CodePointAt(text, i);
            count += NfkcInertness.IsInert(cp) ? 0 : 1;
            i += cp > 0xFFFF ? 1 : 0;
        }

        return count;
    }

    /// <summary>The code point at <paramref name="index"/> (a lone surrogate reads as U+FFFD).</summary>
    internal static int CodePointAt(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        return char.IsSurrogate(c) ? 0xFFFD : c;
    }

    private string FoldWordsAndDropMarks(string text, ref int stripped, ref int folded)
    {
        var output = new StringBuilder(text.Length);
        var afterAsciiLetter = false;
        for (var i = 0; i < text.Length;)
        {
            if (!IsWordChar(text, i))
            {
                var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
                output.Append(text, i, width);
                afterAsciiLetter = false;
                i += width;
                continue;
            }

            var end = i;
            var hasLatin = false;
            var allLookalikes = true;
            while (end < text.Length && IsWordChar(text, end))
            {
                var c = text[end];
                if (char.IsLetter(c))
                {
                    if (IsLatin(c))
                    {
                        hasLatin = true;
                    }
                    else if (!Confusables.TryFold(c, out _))
                    {
                        allLookalikes = false;
                    }
                }
                else if (char.IsHighSurrogate(c))
                {
                    allLookalikes = false;
                }

                end += char.IsHighSurrogate(c) && end + 1 < text.Length ? 2 : 1;
            }

            var fold = hasLatin || allLookalikes;
            for (var j = i; j < end; j++)
            {
                var c = text[j];
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && afterAsciiLetter)
                {
                    stripped++;
                    continue;
                }

                if (fold && Confusables.TryFold(c, out var latin))
                {
                    folded++;
                    c = latin;
                }

                if (!StripComposableAccents && char.IsAsciiLetter(c) && j + 1 < end && IsNonSpacingMark(text[j + 1]))
                {
                    // Keep what composes into a precomposed letter (é); drop the marks left over.
                    var marks = j + 1;
                    while (marks < end && IsNonSpacingMark(text[marks]))
                    {
                        marks++;
                    }

                    var composed = string.Concat(c.ToString(), text.AsSpan(j + 1, marks - j - 1)).Normalize(NormalizationForm.FormC);
                    output.Append(composed[0]);
                    stripped += composed.Length - 1;
                    afterAsciiLetter = false;
                    j = marks - 1;
                    continue;
                }

                output.Append(c);
                if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                {
                    afterAsciiLetter = char.IsAsciiLetter(c);
                }
            }

            i = end;
        }

        return output.ToString();
    }

    private static bool IsNonSpacingMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;

    private static bool IsWordChar(string text, int index) => CharUnicodeInfo.GetUnicodeCategory(text, index) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber => true,
        _ => false,
    };

    private static bool IsLatin(char c) =>
        char.IsAsciiLetter(c)
        || (c is >= '\u00C0' and <= '\u02AF' && c != '\u00D7' && c != '\u00F7')
        || c is >= '\u1E00' and <= '\u1EFF'
        || c is >= '\u2C60' and <= '\u2C7F'
        || c is >= '\uA720' and <= '\uA7FF'
        || c is >= '\uAB30' and <= '\uAB6F';
}
