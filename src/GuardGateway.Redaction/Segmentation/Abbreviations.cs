namespace GuardGateway.Redaction.Segmentation;

/// <summary>
/// Words whose trailing period does not end a sentence. Deliberately small: a missed split only makes a
/// redacted span longer, while a wrong split could cut an unsafe sentence in two.
/// </summary>
internal static class Abbreviations
{
    private const int MaxLength = 8;

    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "dr", "mr", "mrs", "ms", "mx", "prof", "sr", "jr", "st", "mt", "rev", "gen", "col", "capt", "lt", "sgt", "hon",
        "e.g", "i.e", "cf", "vs", "viz", "approx", "ca", "al", "dept", "est", "resp", "incl", "esp", "z.b", "d.h", "bzw", "usw",
    };

    // Only before a number: "No. 5", "Fig. 3", "p. 12"; otherwise these are ordinary words that may end a sentence.
    private static readonly HashSet<string> BeforeNumber = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "nr", "fig", "vol", "p", "pp", "art", "sec", "ch", "eq", "ex", "ext", "tel",
    };

    /// <summary>Whether the word ending just before the period at <paramref name="periodIndex"/> is an abbreviation.</summary>
    public static bool EndsWithAbbreviation(string text, int periodIndex, bool numberFollows)
    {
        var start = periodIndex;
        while (start > 0 && periodIndex - start < MaxLength && (char.IsLetter(text[start - 1]) || text[start - 1] == '.'))
        {
            start--;
        }

        if (start == periodIndex || (start > 0 && char.IsLetterOrDigit(text[start - 1])))
        {
            return false;
        }

        var word = text.AsSpan(start, periodIndex - start);
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true; // an initial: "J. R. R. Tolkien"
        }

        var lookup = Always.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.Contains(word))
        {
            return true;
        }

        return numberFollows && BeforeNumber.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }
}
