using GuardGateway.Core.Policies;
using GuardGateway.Server.Model;

namespace GuardGateway.Server.Proxy;

/// <summary>Selects the policy of a proxy call (requested id, else the caller key's or the model's binding, else the default) from one snapshot.</summary>
internal sealed class ProxyPolicies(IPolicyStore policies, GuardModelState guard)
{
    /// <summary>The policy, or NOT_FOUND / UNAVAILABLE.</summary>
    public (ModerationPolicy? Policy, ProxyError? Error) Select(string? requestedPolicy, string? keyId, string? model)
    {
        var selected = policies.Current.Select(new PolicySelectionRequest(
            RequestedPolicyId: string.IsNullOrEmpty(requestedPolicy) ? null : requestedPolicy,
            ApiKeyId: keyId,
            Model: string.IsNullOrEmpty(model) ? null : model));
        if (!selected.IsSuccess)
        {
            return (null, ProxyError.From(selected.Error));
        }

        // The store accepts every known format; a policy for another model family cannot be judged by this one.
        if (guard.Classifier is { } loaded && !loaded.Model.SupportedFormats.Contains(selected.Value.FormatId, StringComparer.Ordinal))
        {
            return (null, new ProxyError(
                ProxyErrorKind.Unavailable,
                "policy_unavailable",
                $"Policy '{selected.Value.Id}' uses the prompt format '{selected.Value.FormatId}', which the loaded model cannot serve."));
        }

        return (selected.Value, null);
    }
}
