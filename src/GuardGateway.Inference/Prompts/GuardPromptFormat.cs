using GuardGateway.Core.Categories;
namespace GuardGateway.Inference.Prompts;

/// <summary>A Llama Guard 3 prompt format (spec §1): the model family it serves and its defaults.</summary>
public sealed record GuardPromptFormat
{
    private GuardPromptFormat(string id, string closingSuffix, IReadOnlyList<GuardCategory> defaultCategories)
    {
        Id = id;
        ClosingSuffix = closingSuffix;
        DefaultCategories = defaultCategories;
    }

    /// <summary><c>llama-guard-3-8b</c>: Llama-Guard-3-8B, S1–S14.</summary>
    public static GuardPromptFormat Llama8B { get; } = new("llama-guard-3-8b", string.Empty, DefaultCategoryLists.S1ToS14);

    /// <summary><c>llama-guard-3-1b</c>: Llama-Guard-3-1B, S1–S13, a space before <c>&lt;|eot_id|&gt;</c>.</summary>
    public static GuardPromptFormat Llama1B { get; } = new("llama-guard-3-1b", " ", DefaultCategoryLists.S1ToS13);

    /// <summary>Every supported format.</summary>
    public static IReadOnlyList<GuardPromptFormat> All { get; } = [Llama8B, Llama1B];

    /// <summary>The format id used in configuration, policies and cases.</summary>
    public string Id { get; }

    /// <summary>What the format puts between the closing instructions and <c>&lt;|eot_id|&gt;</c>.</summary>
    public string ClosingSuffix { get; }

    /// <summary>The category lines the model was trained on, in order.</summary>
    public IReadOnlyList<GuardCategory> DefaultCategories { get; }

    /// <summary>Finds a format by id (ordinal, exact).</summary>
    public static GuardPromptFormat? Find(string? id) => All.FirstOrDefault(f => f.Id == id);
}
