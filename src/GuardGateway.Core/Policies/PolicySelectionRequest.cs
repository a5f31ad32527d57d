namespace GuardGateway.Core.Policies;

/// <summary>What a request offers for choosing its policy (see <see cref="PolicySet.Select"/>).</summary>
/// <param name="RequestedPolicyId">The policy the request names, if any (wins over everything else).</param>
/// <param name="ApiKeyId">The caller's client key id (never the secret), if authenticated.</param>
/// <param name="Model">The model the request is routed to, if any.</param>
public sealed record PolicySelectionRequest(string? RequestedPolicyId = null, string? ApiKeyId = null, string? Model = null);
