namespace GuardGateway.Core.Policies;

/// <summary>Who gets a policy when the request names none.</summary>
/// <param name="ApiKeyIds">Client key ids (never the secrets).</param>
/// <param name="Models">Model names routed through the gateway.</param>
public sealed record PolicyBindings(IReadOnlyList<string> ApiKeyIds, IReadOnlyList<string> Models)
{
    /// <summary>No bindings.</summary>
    public static PolicyBindings None { get; } = new([], []);
}
