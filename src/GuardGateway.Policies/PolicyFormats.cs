namespace GuardGateway.Policies;

/// <summary>
/// The prompt formats a policy may name (spec §1) and their default categories. Kept here rather than taken
/// from GuardGateway.Inference: engines do not reference each other (ARCHITECTURE.md); a test pins the two lists together.
/// </summary>
public static class PolicyFormats
{
    /// <summary>Llama-Guard-3-8B: S1–S14.</summary>
    public const string Llama8B = "llama-guard-3-8b";

    /// <summary>Llama-Guard-3-1B: S1–S13.</summary>
    public const string Llama1B = "llama-guard-3-1b";

    /// <summary>Every known format id.</summary>
    public static IReadOnlyList<string> All { get; } = [Llama8B, Llama1B];

    /// <summary>The default categories of a known format (S1–S14 or S1–S13); null for unknown formats.</summary>
    public static IReadOnlyList<HazardCategory>? DefaultCategories(string formatId) => formatId switch
    {
        Llama8B => HazardTaxonomy.All,
        Llama1B => [.. HazardTaxonomy.All.Take(13)],
        _ => null,
    };
}
