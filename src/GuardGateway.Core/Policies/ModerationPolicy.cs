using GuardGateway.Core.Moderation;

namespace GuardGateway.Core.Policies;

/// <summary>A validated, immutable category policy (see policies/*.yaml and spec/POLICY_SKETCH.md).</summary>
public sealed record ModerationPolicy
{
    /// <summary>Unique id (file name without extension by convention).</summary>
    public required string Id { get; init; }

    /// <summary>Version: content hash and load time; every decision reports it.</summary>
    public required string Version { get; init; }

    /// <summary>What the policy is for.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Prompt format id; must match the loaded model family.</summary>
    public required string FormatId { get; init; }

    /// <summary>Default P(unsafe) threshold, in [0, 1]. Default 0.5.</summary>
    public float Threshold { get; init; } = 0.5f;

    /// <summary>No-verdict handling. Default <see cref="FailMode.Closed"/>.</summary>
    public FailMode OnError { get; init; } = FailMode.Closed;

    /// <summary>Languages the model does not support. Default <see cref="UnsupportedLanguageAction.Flag"/>.</summary>
    public UnsupportedLanguageAction UnsupportedLanguage { get; init; } = UnsupportedLanguageAction.Flag;

    /// <summary>Text returned to the client when a request or response is blocked.</summary>
    public string Refusal { get; init; } = "I can't help with that.";

    /// <summary>Replacement for redacted spans; <c>{code}</c> and <c>{name}</c> are substituted.</summary>
    public string Redaction { get; init; } = "[removed: {code} {name}]";

    /// <summary>Render category descriptions into the prompt.</summary>
    public bool IncludeDescriptions { get; init; }

    /// <summary>The categories, in prompt order.</summary>
    public required IReadOnlyList<PolicyCategory> Categories { get; init; }

    /// <summary>Codes left out of the prompt entirely.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Who gets this policy by default.</summary>
    public PolicyBindings Bindings { get; init; } = PolicyBindings.None;

    /// <summary>The categories rendered into the prompt (everything not excluded), in prompt order.</summary>
    public IEnumerable<PolicyCategory> EnabledCategories => Categories.Where(c => !Exclude.Contains(c.Code, StringComparer.Ordinal));

    /// <summary>The P(unsafe) threshold of a category in a direction: its own, else the policy default.</summary>
    public float ThresholdFor(PolicyCategory category, ModerationDirection direction)
    {
        ArgumentNullException.ThrowIfNull(category);
        return category.RuleFor(direction).Threshold ?? Threshold;
    }
}
