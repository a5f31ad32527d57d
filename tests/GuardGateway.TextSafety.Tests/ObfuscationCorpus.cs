using System.Text;

namespace GuardGateway.TextSafety.Tests;

/// <summary>
/// T6 material: 200 deterministic canary phrases and the obfuscations of arXiv:2504.11168 (written here
/// independently of the normalizer's own tables).
/// </summary>
internal static class ObfuscationCorpus
{
    private static readonly string[] Syllables =
        ["ka", "ve", "lo", "pi", "su", "ra", "ne", "to", "mi", "ho", "xa", "ce", "yo", "du", "bi", "ge", "fu", "wa", "ji", "qo", "zo", "te", "sy", "po"];

    /// <summary>200 distinct lower-case phrases of two made-up words (e.g. "kavelo pisu").</summary>
    public static IReadOnlyList<string> Canaries { get; } = [.. Enumerable.Range(0, 200).Select(Canary)];

    public static IReadOnlyList<(string Name, Func<string, int, string> Apply)> Transforms { get; } =
    [
        ("zero-width", ZeroWidth),
        ("tag-smuggling", TagSmuggling),
        ("bidi", Bidi),
        ("fullwidth", Fullwidth),
        ("homoglyph", Homoglyph),
        ("combining-marks", CombiningMarks),
        ("nfkd-split", NfkdSplit),
        ("precomposed", Precomposed),
        ("mixed", (s, seed) => ZeroWidth(Homoglyph(Fullwidth(s, seed), seed), seed + 1)),
    ];

    /// <summary>Transforms whose effect is removing characters (the stripped counter must move).</summary>
    public static readonly string[] Stripping = ["zero-width", "tag-smuggling", "bidi", "combining-marks", "precomposed", "mixed"];

    private static readonly string[] ZeroWidths = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u180E", "\u2061", "\u2063", "\u200E"];
    private static readonly string[] BidiControls = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200F"];

    // Cyrillic and Greek letters commonly substituted for Latin ones.
    private static readonly Dictionary<char, string[]> Lookalikes = new()
    {
        ['a'] = ["\u0430", "\u03B1"], ['e'] = ["\u0435"], ['o'] = ["\u043E", "\u03BF"], ['p'] = ["\u0440", "\u03C1"],
        ['c'] = ["\u0441", "\u03F2"], ['y'] = ["\u0443", "\u03B3"], ['x'] = ["\u0445"], ['i'] = ["\u0456", "\u03B9"],
        ['s'] = ["\u0455"], ['j'] = ["\u0458", "\u03F3"], ['h'] = ["\u04BB"], ['v'] = ["\u03BD"], ['u'] = ["\u03C5"],
        ['d'] = ["\u0501"], ['q'] = ["\u051B"], ['w'] = ["\u051D"],
    };

    private static readonly int[] MathAlphabets = [0x1D41A, 0x1D5BA, 0x1D68A, 0x1D552, 0x24D0];

    private static string Canary(int i)
    {
        var n = Syllables.Length;
        var first = Syllables[i % n] + Syllables[((i / n) + 5) % n] + Syllables[((i * 7) + 3) % n];
        var second = Syllables[((i * 3) + 1) % n] + Syllables[((i * 5) + (i / n) + 2) % n];
        return first + " " + second;
    }

    private static string Interleave(string text, Func<int, string> between)
    {
        var output = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            output.Append(text[i]);
            if (i + 1 < text.Length)
            {
                output.Append(between(i));
            }
        }

        return output.ToString();
    }

    private static string ZeroWidth(string text, int seed) => Interleave(text, i => ZeroWidths[(seed + i) % ZeroWidths.Length]);

    private static string TagSmuggling(string text, int seed) => Interleave(text, i => char.ConvertFromUtf32(0xE0020 + ((seed * 31) + (i * 7)) % 0x5F));

    private static string Bidi(string text, int seed) =>
        BidiControls[seed % 5] + Interleave(text, i => BidiControls[(seed + i) % BidiControls.Length]) + "\u202C\u2069";

    private static string Fullwidth(string text, int seed) => string.Concat(text.Select(c => c switch
    {
        >= 'a' and <= 'z' when (seed + c) % 4 != 0 => ((char)(0xFF41 + (c - 'a'))).ToString(),
        ' ' => "\u3000",
        _ => c.ToString(),
    }));

    private static string Homoglyph(string text, int seed)
    {
        var output = new StringBuilder();
        var replaced = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (Lookalikes.TryGetValue(text[i], out var options) && ((seed + i) % 3 != 0 || replaced == 0))
            {
                output.Append(options[(seed + i) % options.Length]);
                replaced++;
            }
            else
            {
                output.Append(text[i]);
            }
        }

        return output.ToString();
    }

    private static string CombiningMarks(string text, int seed) =>
        string.Concat(text.Select((c, i) => c == ' ' ? " " : string.Concat(c.ToString(), ((char)(0x0300 + ((seed + (i * 5)) % 0x4F))).ToString())));

    private static string NfkdSplit(string text, int seed) => string.Concat(text.Select((c, i) => c is >= 'a' and <= 'z'
        ? char.ConvertFromUtf32(MathAlphabets[(seed + i) % MathAlphabets.Length] + (c - 'a'))
        : c.ToString()));

    private static string Precomposed(string text, int seed)
    {
        var accented = new Dictionary<char, string> { ['a'] = "áàâäã", ['e'] = "éèêë", ['i'] = "íìîï", ['o'] = "óòôö", ['u'] = "úùûü", ['y'] = "ýÿ", ['c'] = "ç", ['n'] = "ñ" };
        var done = false;
        var output = string.Concat(text.Select((c, i) =>
        {
            if (accented.TryGetValue(c, out var forms))
            {
                done = true;
                return forms[(seed + i) % forms.Length].ToString();
            }

            return c.ToString();
        }));
        return done ? output : throw new InvalidOperationException("canary without accentable letters");
    }
}
