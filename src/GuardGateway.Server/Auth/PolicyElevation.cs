using GuardGateway.Core.Policies;
using GuardGateway.Policies;

namespace GuardGateway.Server.Auth;

/// <summary>
/// Decides whether an admin change relaxes a protected category (RELIABILITY.md T18), i.e. needs a
/// policy-owner key. Compares what each affected caller gets before and after the change:
/// <list type="bullet">
/// <item>an update: the old policy against the new one;</item>
/// <item>a create: the server's current default policy against the new one (the protection callers get when
/// they choose nothing; with no default loaded, the trained taxonomy), since any client may select a policy
/// by id;</item>
/// <item>a key or model newly bound to the policy: what that key or model selected before against the new policy;
/// a binding removed: the policy against the default those callers fall back to;</item>
/// <item>a delete: a policy with bindings sends its callers to the default policy, so the deleted policy is
/// compared with the default. Deleting an unbound policy relaxes nothing: requests that name it fail closed
/// (<c>POLICY_NOT_FOUND</c>).</item>
/// </list>
/// Pure: reads one snapshot and returns descriptions (codes, actions, key ids; no secrets, no policy text).
/// </summary>
internal static class PolicyElevation
{
    /// <summary>The relaxations a put of <paramref name="after"/> under <paramref name="id"/> would make.</summary>
    public static IReadOnlyList<string> ForPut(PolicySet current, string id, ModerationPolicy after, IReadOnlyCollection<string> protectedCodes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(after);
        var before = current.Find(id);
        var defaultPolicy = current.Find(current.DefaultPolicyId);
        var found = new List<string>(PolicyRelaxations.Find(before ?? defaultPolicy, after, protectedCodes));
        var oldKeys = before?.Bindings.ApiKeyIds ?? [];
        var oldModels = before?.Bindings.Models ?? [];
        foreach (var key in after.Bindings.ApiKeyIds.Except(oldKeys, StringComparer.Ordinal))
        {
            var had = current.Select(new PolicySelectionRequest(ApiKeyId: key));
            if (had.IsSuccess && had.Value!.Id != id)
            {
                found.AddRange(PolicyRelaxations.Find(had.Value, after, protectedCodes).Select(r => $"api key {key} (from '{had.Value.Id}'): {r}"));
            }
        }

        foreach (var model in after.Bindings.Models.Except(oldModels, StringComparer.Ordinal))
        {
            var had = current.Select(new PolicySelectionRequest(Model: model));
            if (had.IsSuccess && had.Value!.Id != id)
            {
                found.AddRange(PolicyRelaxations.Find(had.Value, after, protectedCodes).Select(r => $"model {model} (from '{had.Value.Id}'): {r}"));
            }
        }

        if (before is not null && defaultPolicy is not null && id != defaultPolicy.Id
            && (oldKeys.Except(after.Bindings.ApiKeyIds, StringComparer.Ordinal).Any() || oldModels.Except(after.Bindings.Models, StringComparer.Ordinal).Any()))
        {
            found.AddRange(PolicyRelaxations.Find(before, defaultPolicy, protectedCodes).Select(r => $"unbound callers fall back to '{defaultPolicy.Id}': {r}"));
        }

        return found;
    }

    /// <summary>The relaxations deleting <paramref name="id"/> would make.</summary>
    public static IReadOnlyList<string> ForDelete(PolicySet current, string id, IReadOnlyCollection<string> protectedCodes)
    {
        ArgumentNullException.ThrowIfNull(current);
        var before = current.Find(id);
        var defaultPolicy = current.Find(current.DefaultPolicyId);
        if (before is null || defaultPolicy is null || before.Id == defaultPolicy.Id
            || (before.Bindings.ApiKeyIds.Count == 0 && before.Bindings.Models.Count == 0))
        {
            return [];
        }

        return [.. PolicyRelaxations.Find(before, defaultPolicy, protectedCodes).Select(r => $"bound callers fall back to '{defaultPolicy.Id}': {r}")];
    }
}
