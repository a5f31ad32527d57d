using GuardGateway.Core.Policies;
using GuardGateway.Policies.Yaml;

namespace GuardGateway.Policies.Parsing;

/// <summary>The outcome of parsing one policy text: the policy when valid, every diagnostic, and what set-level checks need.</summary>
internal sealed record ParsedPolicy
{
    public required string File { get; init; }

    public required string Text { get; init; }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 text.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The policy, or null when <see cref="Diagnostics"/> holds an error.</summary>
    public ModerationPolicy? Policy { get; init; }

    /// <summary>The id as written (even when the policy is invalid), for duplicate-id checks.</summary>
    public string? Id { get; init; }

    /// <summary>Where the id is written (1:1 when missing).</summary>
    public YamlPosition IdPosition { get; init; } = new(1, 1);

    public required IReadOnlyList<PolicyDiagnostic> Diagnostics { get; init; }

    public IReadOnlyList<BindingEntry> Bindings { get; init; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
