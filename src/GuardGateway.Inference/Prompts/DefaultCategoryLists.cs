using GuardGateway.Core.Categories;
namespace GuardGateway.Inference.Prompts;

/// <summary>The MLCommons category lines exactly as Llama Guard 3 was trained on them (spec §1).</summary>
internal static class DefaultCategoryLists
{
    public static IReadOnlyList<GuardCategory> S1ToS14 { get; } =
    [
        new("S1", "Violent Crimes."),
        new("S2", "Non-Violent Crimes."),
        new("S3", "Sex Crimes."),
        new("S4", "Child Exploitation."),
        new("S5", "Defamation."),
        new("S6", "Specialized Advice."),
        new("S7", "Privacy."),
        new("S8", "Intellectual Property."),
        new("S9", "Indiscriminate Weapons."),
        new("S10", "Hate."),
        new("S11", "Self-Harm."),
        new("S12", "Sexual Content."),
        new("S13", "Elections."),
        new("S14", "Code Interpreter Abuse."),
    ];

    public static IReadOnlyList<GuardCategory> S1ToS13 { get; } = [.. S1ToS14.Take(13)];
}
