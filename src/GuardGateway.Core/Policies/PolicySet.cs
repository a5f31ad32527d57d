using GuardGateway.Core.Results;

namespace GuardGateway.Core.Policies;

/// <summary>
/// An immutable snapshot of every loaded policy. A request reads <see cref="IPolicyStore.Current"/> once and
/// selects from that snapshot, so it can never see a half-applied reload.
/// </summary>
public sealed class PolicySet
{
    private readonly Dictionary<string, ModerationPolicy> _byId;
    private readonly Dictionary<string, ModerationPolicy> _byApiKey;
    private readonly Dictionary<string, ModerationPolicy> _byModel;
    private readonly HashSet<string>? _servableFormats;

    /// <summary>Creates a snapshot. Bindings must not clash (the loader validates that first).</summary>
    /// <param name="policies">The policies; ids must be unique.</param>
    /// <param name="defaultPolicyId">The policy used when nothing else selects one.</param>
    /// <param name="servableFormats">Formats the loaded model serves; null = every format.</param>
    /// <param name="generation">Increases with every successful (re)load that changed something.</param>
    /// <param name="loadedAt">When this snapshot was built.</param>
    public PolicySet(
        IEnumerable<ModerationPolicy> policies,
        string defaultPolicyId,
        IEnumerable<string>? servableFormats,
        long generation,
        DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(defaultPolicyId);
        _byId = new Dictionary<string, ModerationPolicy>(StringComparer.Ordinal);
        _byApiKey = new Dictionary<string, ModerationPolicy>(StringComparer.Ordinal);
        _byModel = new Dictionary<string, ModerationPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (!_byId.TryAdd(policy.Id, policy))
            {
                throw new ArgumentException($"Policy id '{policy.Id}' appears twice.", nameof(policies));
            }

            foreach (var key in policy.Bindings.ApiKeyIds)
            {
                if (!_byApiKey.TryAdd(key, policy) && !ReferenceEquals(_byApiKey[key], policy))
                {
                    throw new ArgumentException($"API key id '{key}' is bound to two policies.", nameof(policies));
                }
            }

            foreach (var model in policy.Bindings.Models)
            {
                if (!_byModel.TryAdd(model, policy) && !ReferenceEquals(_byModel[model], policy))
                {
                    throw new ArgumentException($"Model '{model}' is bound to two policies.", nameof(policies));
                }
            }
        }

        Policies = [.. _byId.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];
        DefaultPolicyId = defaultPolicyId;
        _servableFormats = servableFormats is null ? null : new HashSet<string>(servableFormats, StringComparer.Ordinal);
        Generation = generation;
        LoadedAt = loadedAt;
    }

    /// <summary>An empty set: every selection fails closed with <see cref="GuardErrorCode.PolicyUnavailable"/>.</summary>
    public static PolicySet Empty(string defaultPolicyId, DateTimeOffset loadedAt) => new([], defaultPolicyId, null, 0, loadedAt);

    /// <summary>Every policy, ordered by id.</summary>
    public IReadOnlyList<ModerationPolicy> Policies { get; }

    /// <summary>The policy used when the request, its key and its model select none.</summary>
    public string DefaultPolicyId { get; }

    /// <summary>Increases with every applied change; 0 for the empty set.</summary>
    public long Generation { get; }

    /// <summary>When this snapshot was built.</summary>
    public DateTimeOffset LoadedAt { get; }

    /// <summary>The policy with this id, or null.</summary>
    public ModerationPolicy? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Whether the loaded model can serve the policy's prompt format.</summary>
    public bool IsServable(ModerationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _servableFormats is null || _servableFormats.Contains(policy.FormatId);
    }

    /// <summary>
    /// Chooses the policy: the request's policy id, else a binding of the caller's API key id, else a
    /// binding of the model name, else the default. An unknown requested id is
    /// <see cref="GuardErrorCode.PolicyNotFound"/> (never a silent fallback to the default); a missing
    /// default or a policy the loaded model cannot serve is <see cref="GuardErrorCode.PolicyUnavailable"/>.
    /// </summary>
    public Result<ModerationPolicy> Select(PolicySelectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModerationPolicy? chosen;
        if (!string.IsNullOrEmpty(request.RequestedPolicyId))
        {
            chosen = Find(request.RequestedPolicyId);
            if (chosen is null)
            {
                return new GuardError(GuardErrorCode.PolicyNotFound, $"Unknown policy '{Shorten(request.RequestedPolicyId)}'.");
            }
        }
        else if (request.ApiKeyId is { Length: > 0 } key && _byApiKey.TryGetValue(key, out var byKey))
        {
            chosen = byKey;
        }
        else if (request.Model is { Length: > 0 } model && _byModel.TryGetValue(model, out var byModel))
        {
            chosen = byModel;
        }
        else
        {
            chosen = Find(DefaultPolicyId);
            if (chosen is null)
            {
                return new GuardError(GuardErrorCode.PolicyUnavailable, $"The default policy '{DefaultPolicyId}' is not loaded.");
            }
        }

        if (!IsServable(chosen))
        {
            return new GuardError(
                GuardErrorCode.PolicyUnavailable,
                $"Policy '{chosen.Id}' uses the prompt format '{chosen.FormatId}', which the loaded model cannot serve.");
        }

        return chosen;
    }

    // Requested ids come from callers: never echo an unbounded string into an error.
    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
