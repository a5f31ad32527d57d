namespace GuardGateway.Core.Classification;

/// <summary>The guard's judgement of one conversation (spec §4–5).</summary>
public sealed record GuardClassification
{
    /// <summary>Safe, unsafe, or a parse failure.</summary>
    public required GuardOutcome Outcome { get; init; }

    /// <summary>Violated codes in the order the model named them (empty unless unsafe).</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>exp(l_unsafe) / (exp(l_safe) + exp(l_unsafe)) at the verdict position, in [0, 1].</summary>
    public required float UnsafeProbability { get; init; }

    /// <summary>
    /// Per enabled code: how likely the model names it first (softmax over the number tokens after
    /// forcing <c>unsafe\nS</c>, times <see cref="UnsafeProbability"/>). Empty when not computed.
    /// </summary>
    public required IReadOnlyDictionary<string, float> CategoryScores { get; init; }

    /// <summary>The decoded model answer (model output, not caller text).</summary>
    public required string RawOutput { get; init; }

    /// <summary>Why parsing failed, when <see cref="Outcome"/> is <see cref="GuardOutcome.ParseFailure"/>.</summary>
    public string? ParseFailureReason { get; init; }

    /// <summary>Tokens in the full prompt (including the trailing <c>\n\n</c>).</summary>
    public required int PromptTokens { get; init; }

    /// <summary>Prompt tokens actually run through the model (the rest came from the prefix cache).</summary>
    public required int PrefillTokens { get; init; }

    /// <summary>Tokens generated for the answer.</summary>
    public required int GeneratedTokens { get; init; }

    /// <summary>Where the time went.</summary>
    public required ClassificationTimings Timings { get; init; }

    /// <summary>The model that judged (name; demo models say so).</summary>
    public required string Model { get; init; }
}
