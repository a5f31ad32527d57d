using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Core.TextSafety;

namespace GuardGateway.Core.Moderation;

/// <summary>What the gateway decided about one message, and why. Never contains message text.</summary>
public sealed record ModerationDecision
{
    /// <summary>The action to take: the most severe among reported categories, allow when safe, or the fail mode's action.</summary>
    public required ModerationAction Action { get; init; }

    /// <summary>Input (user message, assessed as <c>User</c>) or output (assistant message, assessed as <c>Agent</c>).</summary>
    public required ModerationDirection Direction { get; init; }

    /// <summary>P(unsafe) at the verdict position, in [0, 1]; 0 when the classifier produced nothing.</summary>
    public required float UnsafeProbability { get; init; }

    /// <summary>The categories the guard named, in its order, with their actions and whether they were reported.</summary>
    public required IReadOnlyList<CategoryVerdict> Categories { get; init; }

    /// <summary>The policy that decided.</summary>
    public required string PolicyId { get; init; }

    /// <summary>The exact version of that policy.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>The guard model that judged (demo models say so in their name).</summary>
    public required string Model { get; init; }

    /// <summary>
    /// A short, human-readable reason: <c>safe</c>, the reported categories, <c>fail-closed: …</c> or
    /// <c>fail-open: …</c>. Names codes and error kinds only.
    /// </summary>
    public required string Reason { get; init; }

    /// <summary>True when there was no verdict and the policy's <c>on_error: allow</c> let the message through.</summary>
    public bool FailedOpen { get; init; }

    /// <summary>Why there was no verdict (classifier error, timeout, queue full, parse failure); null when there was one.</summary>
    public GuardError? NoVerdict { get; init; }

    /// <summary>True when there was no verdict and the policy blocked (fail-closed).</summary>
    public bool FailedClosed => NoVerdict is not null && !FailedOpen;

    /// <summary>True when the assessed message was detected to be in a language the guard does not support.</summary>
    public bool UnsupportedLanguage { get; init; }

    /// <summary>The classifier's full answer (timings, token counts, raw model output), when there was one; for metrics.</summary>
    public GuardClassification? Classification { get; init; }

    /// <summary>
    /// What the pipeline's input defenses did (chars stripped/folded, whether a normalized variant was
    /// classified and decided, chunks); null for decisions made without classifying (unsupported language: block).
    /// </summary>
    public TextSafetyReport? TextSafety { get; init; }
}
