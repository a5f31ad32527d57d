using System.Globalization;
using GuardGateway.Core.Moderation;

namespace GuardGateway.TextSafety.Languages;

/// <summary>
/// A small, offline, deterministic language detector for the policy's <c>unsupported_language</c> rule. It counts
/// letters per script: a dominant script no supported language uses (CJK, Hangul, Cyrillic, Greek, Arabic,
/// Hebrew, other Indic scripts…) is unsupported; Thai and Devanagari are supported (th, hi; Devanagari is taken as
/// Hindi: Marathi and Nepali are not told apart); Latin text is scored against function-word profiles
/// (<see cref="StopWordProfiles"/>). Whatever is short, mixed or ambiguous is <see cref="LanguageVerdict.Unknown"/>:
/// it never guesses. Linear in the input; only the first <see cref="MaximumWords"/> words are scored.
/// </summary>
public sealed class ScriptLanguageDetector : IUnsupportedLanguageDetector
{
    private static readonly int ScriptCount = Enum.GetValues<Script>().Length;

    /// <summary>Fewer letters than this: unknown (too short). Default 12.</summary>
    public int MinimumLetters { get; init; } = 12;

    /// <summary>Share of letters (0–1) the dominant script needs; less: unknown (mixed). Default 0.6.</summary>
    public double DominantShare { get; init; } = 0.6;

    /// <summary>Latin words scored against the profiles at most. Default 2,000.</summary>
    public int MaximumWords { get; init; } = 2_000;

    /// <inheritdoc />
    public bool IsUnsupported(string text) => Detect(text).Verdict == LanguageVerdict.Unsupported;

    /// <summary>Detects the language of <paramref name="text"/>.</summary>
    public LanguageDetection Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new int[ScriptCount];
        var letters = 0;
        var ukrainian = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cp = (int)text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[++i]);
                if (!IsLetter(CharUnicodeInfo.GetUnicodeCategory(cp)))
                {
                    continue;
                }
            }
            else if (!char.IsLetter(text[i]))
            {
                continue;
            }

            letters++;
            counts[(int)Scripts.Of(cp)]++;
            ukrainian += text[i] is 'і' or 'ї' or 'є' or 'ґ' or 'І' or 'Ї' or 'Є' or 'Ґ' ? 1 : 0;
        }

        if (letters < MinimumLetters)
        {
            return new LanguageDetection(LanguageVerdict.Unknown, null, "too short");
        }

        var dominant = (Script)Array.IndexOf(counts, counts.Max());
        var cjk = counts[(int)Script.Han] + counts[(int)Script.Kana];
        if (cjk >= letters * DominantShare)
        {
            // Japanese mixes kana with kanji; Chinese has no kana.
            return Unsupported(counts[(int)Script.Kana] * 10 >= cjk ? "ja" : "zh");
        }

        if (counts[(int)dominant] < letters * DominantShare || dominant == Script.Other)
        {
            return new LanguageDetection(LanguageVerdict.Unknown, null, "mixed scripts");
        }

        return dominant switch
        {
            Script.Latin => DetectLatin(text),
            Script.Thai => new LanguageDetection(LanguageVerdict.Supported, "th", "Thai script"),
            Script.Devanagari => new LanguageDetection(LanguageVerdict.Supported, "hi", "Devanagari script"),
            Script.Cyrillic => Unsupported(ukrainian > 0 ? "uk" : "und-Cyrl"),
            _ => Unsupported(Scripts.Tag(dominant)),
        };
    }

    private LanguageDetection DetectLatin(string text)
    {
        var scores = new int[StopWordProfiles.Profiles.Length];
        var words = 0;
        foreach (var word in Words(text))
        {
            if (++words > MaximumWords)
            {
                break;
            }

            for (var p = 0; p < scores.Length; p++)
            {
                scores[p] += StopWordProfiles.Profiles[p].Words.Contains(word) ? 1 : 0;
            }

            foreach (var c in word)
            {
                var language = StopWordProfiles.DistinctiveLetter(c);
                if (language is not null)
                {
                    scores[StopWordProfiles.IndexOf[language]]++;
                }
            }
        }

        if (words < 3)
        {
            return new LanguageDetection(LanguageVerdict.Unknown, null, "too short");
        }

        var order = Enumerable.Range(0, scores.Length).OrderByDescending(p => scores[p]).ToArray();
        int best = scores[order[0]], second = scores[order[1]];
        var language0 = StopWordProfiles.Profiles[order[0]].Language;
        var language1 = StopWordProfiles.Profiles[order[1]].Language;
        if (best < 2 || best < Math.Min(words, MaximumWords) / 10.0)
        {
            return new LanguageDetection(LanguageVerdict.Unknown, null, "too few function words");
        }

        var supported0 = StopWordProfiles.Supported.Contains(language0);
        if (second > 0 && best < second * 1.5)
        {
            // Close between two unsupported languages (Danish or Norwegian): unsupported either way.
            return !supported0 && !StopWordProfiles.Supported.Contains(language1) && best >= 3
                ? Unsupported(language0)
                : new LanguageDetection(LanguageVerdict.Unknown, null, "ambiguous");
        }

        return supported0
            ? new LanguageDetection(LanguageVerdict.Supported, language0, "function words")
            : Unsupported(language0);
    }

    private static LanguageDetection Unsupported(string language) => new(LanguageVerdict.Unsupported, language, "not a Llama Guard 3 language");

    private static bool IsLetter(UnicodeCategory category) => category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    /// <summary>Lower-case words (letters and marks); apostrophes and everything else separate words.</summary>
    private static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetter(text[i]) || CharUnicodeInfo.GetUnicodeCategory(text[i]) == UnicodeCategory.NonSpacingMark);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}
