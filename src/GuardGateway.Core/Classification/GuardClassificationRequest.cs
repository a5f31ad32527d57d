using GuardGateway.Core.Categories;
using GuardGateway.Core.Conversations;

namespace GuardGateway.Core.Classification;

/// <summary>One conversation for the guard to judge; the last message is the one assessed.</summary>
public sealed record GuardClassificationRequest
{
    /// <summary>User/assistant turns, alternating, starting with the user.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Prompt format id (<c>llama-guard-3-8b</c> or <c>llama-guard-3-1b</c>); must suit the loaded model.</summary>
    public required string FormatId { get; init; }

    /// <summary>Custom categories (ordered) replacing the format's defaults; null for the defaults.</summary>
    public IReadOnlyList<GuardCategory>? Categories { get; init; }

    /// <summary>Codes left out of the prompt.</summary>
    public IReadOnlyList<string> ExcludedCodes { get; init; } = [];

    /// <summary>Render category descriptions into the prompt.</summary>
    public bool IncludeDescriptions { get; init; }

    /// <summary>
    /// P(unsafe) at or above which the category list is decoded even when the model's first token is
    /// <c>safe</c> (spec §5). Range [0, 1]; default 0.5 (the model's own greedy choice).
    /// </summary>
    public float CategoryThreshold { get; init; } = 0.5f;
}
