using System.Globalization;
using System.Text;
using CsCheck;
using GuardGateway.TextSafety.Normalization;

namespace GuardGateway.TextSafety.Tests;

public sealed class UnicodeTextNormalizerTests
{
    private static readonly UnicodeTextNormalizer Normalizer = UnicodeTextNormalizer.Instance;

    private static readonly string[] Pieces =
    [
        "a", "kill", "É", "e\u0301", "ﬁ", "ＡＢｃ", "\u3000", "𝐚𝐛", "ⓐ", "½", "㍱", "™", "‼", "🄐", "🈁",
        "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u202E", "\u2066", "\u2069", "\u061C", "\u180E", "\u034F", "\u3164", "\uFFA0",
        "\uFE0F", "\uFE0E", "\uFE00", "\U000E0100", "\U000E0041", "\U000E0001", "\U000E007F", "\U000E0020",
        "😀", "👩", "💻", "❤", "1", "#", "\u20E3", "🏴", "\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
        "\U000E0067\U000E0062", "👍🏽", "🇫🇷", "а", "е", "ϲ", "Ϲ", "α", "Ω", "ı", "ɑ", "привет", "Ζεύς", "й", "ё", "\u0308", "\u0345",
        "\uD800", "\uDC00", "ø\u0301", "ß", "ﷺ", "ǅ", "\u0F73", "\u1100\u1161\u11A8", "각", "ｶﾞ", "\r\n", " ",
    ];

    private static readonly Gen<string> Samples = Gen.OneOf(
        Gen.OneOf<string>(Pieces).Array[0, 12].Select(p => string.Concat(p)),
        Gen.String[Gen.Char, 0, 12],
        Gen.Select(Gen.OneOf<string>(Pieces).Array[0, 6], Gen.String[Gen.Char["ab \u200D\uFE0F\u0301"], 0, 6]).Select((p, s) => string.Concat(p) + s));

    // Found by the T16 fuzzer (fuzz/corpus/text-prompt/noncharacter-fffe): .NET's normalization throws
    // ArgumentException on U+FFFE/U+FFFF, so one such character in a message crashed the moderation path.
    [Theory]
    [InlineData("bo\uFFFEmb", "bomb")]
    [InlineData("\uFFFF\u00A0", " ")]
    [InlineData("x\uFDD0y\U0001FFFEz", "xyz")]
    public void Normalize_Noncharacters_StrippedNoThrow(string text, string expected)
    {
        var normalized = Normalizer.Normalize(text);

        Assert.Equal(expected, normalized.Text);
        Assert.True(normalized.StrippedCount > 0);
        Assert.Equal(expected, Normalizer.Normalize(normalized.Text).Text);
    }

    [Fact]
    public void Normalize_100000Samples_IdempotentAndNoFormatCharactersLeft()
    {
        Samples.Sample(text =>
        {
            var once = Normalizer.Normalize(text);
            var twice = Normalizer.Normalize(once.Text);
            return twice.Text == once.Text && !twice.Changed && OnlyAllowedIgnorables(once.Text);
        }, iter: 100_000, seed: "0T6normSeed1");
    }

    [Fact]
    public void Normalize_KeepAccentsMode_20000Samples_IdempotentAndNoFormatCharactersLeft()
    {
        var keeping = new UnicodeTextNormalizer(stripComposableAccents: false);
        Samples.Sample(text =>
        {
            var once = keeping.Normalize(text);
            var twice = keeping.Normalize(once.Text);
            return twice.Text == once.Text && !twice.Changed && OnlyAllowedIgnorables(once.Text);
        }, iter: 20_000, seed: "0T6keepSeed1");
    }

    [Theory]
    [InlineData("café crème", "café crème", 0)]
    [InlineData("cafe\u0301", "café", 0)]
    [InlineData("k\u0300ill", "kill", 1)]
    [InlineData("e\u0301\u0301\u0316", "é", 2)]
    [InlineData("Straße über niño", "Straße über niño", 0)]
    public void Normalize_KeepAccentsMode_KeepsOnlyComposingMarks(string input, string expected, int stripped)
    {
        var normalized = new UnicodeTextNormalizer(stripComposableAccents: false).Normalize(input);

        Assert.Equal(expected, normalized.Text);
        Assert.Equal(stripped, normalized.StrippedCount);
    }

    [Fact]
    public void Normalize_Ascii_ReturnsSameInstanceUnchanged()
    {
        const string text = "Plain ASCII: <BEGIN CONVERSATION> User: safe\r\n";

        var normalized = Normalizer.Normalize(text);

        Assert.Same(text, normalized.Text);
        Assert.False(normalized.Changed);
        Assert.Equal(0, normalized.StrippedCount + normalized.FoldedCount);
    }

    public static TheoryData<string, string, int, int> Cases => new()
    {
        { "k\u200Bi\u200Dl\u2060l", "kill", 3, 0 },
        { "\u202Ekill\u202C", "kill", 2, 0 },
        { "ｋｉｌｌ", "kill", 0, 4 },
        { "kіll", "kill", 0, 1 },
        { "k\u0301i\u0308ll", "kill", 2, 0 },
        { "café", "cafe", 1, 0 },
        { "𝐤𝐢𝐥𝐥", "kill", 0, 4 },
        { "привет мир", "привет мир", 0, 0 },
        { "ѕоре", "sope", 0, 4 },
        { "pаypаl", "paypal", 0, 2 },
        { "hi\U000E006B\U000E0069\U000E006C\U000E006C there", "hi there\nkill", 4, 0 },
        { "👩\u200D💻 ok", "👩\u200D💻 ok", 0, 0 },
        { "❤\uFE0F", "❤\uFE0F", 0, 0 },
        { "1\uFE0F\u20E3", "1\uFE0F\u20E3", 0, 0 },
        { "a\uFE0Fb", "ab", 1, 0 },
        { "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", 0, 0 },
        { "🏴\U000E0078\U000E0078\U000E007F", "🏴\nxx", 3, 0 },
        { "a\u200Db", "ab", 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Normalize_Case_ExpectedTextAndCounts(string input, string expected, int stripped, int folded)
    {
        var normalized = Normalizer.Normalize(input);

        Assert.Equal(expected, normalized.Text);
        Assert.Equal(stripped, normalized.StrippedCount);
        Assert.Equal(folded, normalized.FoldedCount);
        Assert.Equal(input != expected, normalized.Changed);
    }

    [Fact]
    public void Normalize_UnpairedSurrogates_ReplacedAndCounted()
    {
        var normalized = Normalizer.Normalize("a\uD800b\uDC00");

        Assert.Equal("a\uFFFDb\uFFFD", normalized.Text);
        Assert.Equal(2, normalized.UnpairedSurrogateCount);
    }

    [Fact]
    public void Normalize_LongObfuscatedText_LinearTime()
    {
        var unit = "k\u200Bі\u0301l\U000E0041l ｋ ";
        var small = string.Concat(Enumerable.Repeat(unit, 1_000));
        var large = string.Concat(Enumerable.Repeat(unit, 50_000));
        Normalizer.Normalize(small);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = Normalizer.Normalize(large);
        watch.Stop();

        Assert.StartsWith("kil", result.Text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed} for {large.Length} chars");
    }

    /// <summary>No Cf or default-ignorable code point except ZWJ between pictographs, VS after a pictograph/keycap base, and RGI flag tags.</summary>
    private static bool OnlyAllowedIgnorables(string text)
    {
        var codePoints = new List<int>();
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            codePoints.Add(char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i]);
        }

        for (var i = 0; i < codePoints.Count; i++)
        {
            var cp = codePoints[i];
            if (cp == 0x1F3F4 && i + 6 < codePoints.Count && codePoints[i + 6] == 0xE007F)
            {
                var tag = new StringBuilder();
                for (var t = 1; t <= 5; t++)
                {
                    tag.Append((char)(codePoints[t + i] - 0xE0000));
                }

                if (tag.ToString() is "gbeng" or "gbsct" or "gbwls")
                {
                    i += 6;
                    continue;
                }
            }

            var ignorable = CharUnicodeInfo.GetUnicodeCategory(cp) == UnicodeCategory.Format || UnicodeTextNormalizer.IsIgnorable(cp) || cp is >= 0xFE00 and <= 0xFE0F;
            if (!ignorable)
            {
                continue;
            }

            var previous = i > 0 ? codePoints[i - 1] : -1;
            var next = i + 1 < codePoints.Count ? codePoints[i + 1] : -1;
            var allowed = cp switch
            {
                0x200D => IsEmoji(previous) && IsEmoji(next),
                0xFE0F or 0xFE0E => IsEmoji(previous) || (previous is (>= '0' and <= '9') or '#' or '*' && next == 0x20E3),
                _ => false,
            };
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEmoji(int cp) => cp is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0xFE0F or 0xE007F or 0x00A9 or 0x00AE
        or >= 0x2194 and <= 0x2BFF or 0x3030 or 0x303D or 0x3297 or 0x3299;
}
