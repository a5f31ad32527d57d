using System.Collections.Frozen;

namespace GuardGateway.TextSafety.Normalization;

/// <summary>
/// Letters that look like a Latin letter or digit, mapped to it. A compact subset of the prototypes of
/// Unicode's confusables.txt (UTS #39, security mechanisms) whose target is a single Latin letter a–z/A–Z or
/// digit: the Cyrillic, Greek, Armenian, Cherokee and Latin IPA lookalikes used in homoglyph attacks.
/// Fullwidth and mathematical letters need no entry: NFKC folds them. (Lunate sigma ϲ/Ϲ, whose NFKD is σ/Σ,
/// is folded to c/C before decomposition by the normalizer.)
/// </summary>
internal static class Confusables
{
    private const string Pairs =
        // Cyrillic lower case
        "аaеeоoрpсcуyхxѕsіiјjһhԁdԛqԝwӏlгrѵvб6"
        // Cyrillic upper case
        + "АAВBЕEЗ3КKМMНHОOРPСCТTУYХXЅSІIЈJҮYҺHӀlԚQԜWѴV"
        // Greek
        + "ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXοoαaιiνvρpυuγyϳj"
        // Armenian
        + "օoսuհhցgոnզqՍUՕO"
        // Cherokee
        + "ᎪAᏴBᏟCᎬEᎻHᎫJᏦKᎷMᏢPᏚSᎢTᎳWᏃZ"
        // Latin IPA and dotless letters
        + "ıiȷjɑaɡgɩi";

    private static readonly FrozenDictionary<char, char> Map = Build();

    /// <summary>The Latin prototype of <paramref name="c"/>, or <paramref name="c"/> itself.</summary>
    public static bool TryFold(char c, out char latin) => Map.TryGetValue(c, out latin);

    private static FrozenDictionary<char, char> Build()
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i + 1 < Pairs.Length; i += 2)
        {
            if (Pairs[i] != Pairs[i + 1])
            {
                map[Pairs[i]] = Pairs[i + 1];
            }
        }

        return map.ToFrozenDictionary();
    }
}
