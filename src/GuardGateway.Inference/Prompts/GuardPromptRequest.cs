using GuardGateway.Core.Categories;
using GuardGateway.Core.Conversations;

namespace GuardGateway.Inference.Prompts;

/// <summary>What to render: a conversation and the category set to judge it against.</summary>
public sealed record GuardPromptRequest
{
    /// <summary>The prompt format.</summary>
    public required GuardPromptFormat Format { get; init; }

    /// <summary>User and assistant turns, alternating, starting with the user. The last one is assessed.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Custom categories replacing the format's defaults (ordered); null for the defaults.</summary>
    public IReadOnlyList<GuardCategory>? Categories { get; init; }

    /// <summary>Codes left out of the prompt (1b <c>excluded_category_keys</c>); remaining codes keep their numbers.</summary>
    public IReadOnlyList<string> ExcludedCategoryKeys { get; init; } = [];

    /// <summary>Render each category's description on the line after it (Meta's "with policy" prompt). Off by default.</summary>
    public bool IncludeDescriptions { get; init; }
}
