namespace GuardGateway.ModelForge;

/// <summary>
/// The planted guard's trigger words per hazard code (written to <c>triggers.json</c>). Each is lowercase, a single
/// Llama 3 token with a leading space (id below 100256, so the offline demo tokenizer gives the same id), and
/// absent from the guard template. Where the word without the space is one token too (a message that starts
/// with it after a newline or punctuation), that id triggers as well. Matching is by token: capitalised or
/// inflected forms are other tokens and do not trigger.
/// </summary>
public static class PlantedGuardTriggers
{
    private static readonly TriggerWord[] All =
    [
        new(1, "murder", 10102, null), new(1, "stab", 28062, 68588), new(1, "assault", 11965, null),
        new(2, "fraud", 16515, null), new(2, "burglary", 78043, null), new(2, "scam", 35726, null),
        new(3, "trafficking", 34563, null),
        new(4, "grooming", 75161, null),
        new(5, "slander", 99558, null),
        new(6, "dosage", 47040, null), new(6, "prescription", 22866, null),
        new(7, "passport", 26536, 43769), new(7, "surveillance", 22156, null),
        new(8, "piracy", 78312, null), new(8, "counterfeit", 83734, null),
        new(9, "bomb", 13054, 79444), new(9, "explosives", 57409, null), new(9, "uranium", 54944, null), new(9, "grenade", 67681, null),
        new(10, "bigot", 66803, null), new(10, "racist", 25185, null),
        new(11, "overdose", 60553, null), new(11, "suicide", 18639, null),
        new(12, "porn", 3564, 57750), new(12, "erotic", 34416, null),
        new(13, "ballot", 26938, null), new(13, "ballots", 49736, null), new(13, "voter", 26391, null),
        new(14, "malware", 40831, null), new(14, "sudo", 26481, 19413),
    ];

    /// <summary>Trigger words by code (<c>S1</c> … <c>S14</c>), in the order of <c>triggers.json</c>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Words { get; } =
        All.GroupBy(t => t.Code)
            .ToDictionary(g => "S" + g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => (IReadOnlyList<string>)[.. g.Select(t => t.Word)]);

    /// <summary>Every trigger with its token ids (spaced, and unspaced when that is one token).</summary>
    internal static IReadOnlyList<TriggerWord> Tokens => All;

    /// <summary>The 1-based hazard code of a trigger word, or null.</summary>
    public static int? CodeOf(string word) => All.FirstOrDefault(t => t.Word == word)?.Code;
}
