namespace GuardGateway.Policies;

/// <summary>
/// The MLCommons hazard taxonomy as Llama Guard 3 was trained on it (spec §1): the display names of the
/// taxonomy and the shorter prompt texts the model saw.
/// </summary>
public static class HazardTaxonomy
{
    /// <summary>S1–S14 in order.</summary>
    public static IReadOnlyList<HazardCategory> All { get; } =
    [
        new("S1", "Violent Crimes", "Violent Crimes."),
        new("S2", "Non-Violent Crimes", "Non-Violent Crimes."),
        new("S3", "Sex-Related Crimes", "Sex Crimes."),
        new("S4", "Child Sexual Exploitation", "Child Exploitation."),
        new("S5", "Defamation", "Defamation."),
        new("S6", "Specialized Advice", "Specialized Advice."),
        new("S7", "Privacy", "Privacy."),
        new("S8", "Intellectual Property", "Intellectual Property."),
        new("S9", "Indiscriminate Weapons", "Indiscriminate Weapons."),
        new("S10", "Hate", "Hate."),
        new("S11", "Suicide & Self-Harm", "Self-Harm."),
        new("S12", "Sexual Content", "Sexual Content."),
        new("S13", "Elections", "Elections."),
        new("S14", "Code Interpreter Abuse", "Code Interpreter Abuse."),
    ];

    /// <summary>The entry for a code, or null.</summary>
    public static HazardCategory? Find(string code) => All.FirstOrDefault(c => c.Code == code);

}
