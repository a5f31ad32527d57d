using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Parsing;

/// <summary>Checks that need every policy at once: duplicate ids, binding clashes, the default policy.</summary>
internal static class PolicySetValidator
{
    /// <summary>
    /// Set-level diagnostics for <paramref name="policies"/> (in file order; the first definition wins and
    /// later ones are reported). <paramref name="defaultPolicyId"/> null skips the default check (lint).
    /// </summary>
    public static List<PolicyDiagnostic> Validate(
        IReadOnlyList<ParsedPolicy> policies,
        string? defaultPolicyId,
        IReadOnlyCollection<string>? supportedFormats,
        string setLabel)
    {
        var diagnostics = new List<PolicyDiagnostic>();
        var ids = new Dictionary<string, ParsedPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            if (policy.Id is null)
            {
                continue;
            }

            if (ids.TryGetValue(policy.Id, out var first))
            {
                diagnostics.Add(new PolicyDiagnostic(policy.File, policy.IdPosition.Line, policy.IdPosition.Column, PolicyDiagnosticCodes.DuplicateId,
                    $"The policy id '{policy.Id}' is already defined in {first.File}."));
            }
            else
            {
                ids.Add(policy.Id, policy);
            }
        }

        var owners = new Dictionary<(string Kind, string Value), (ParsedPolicy Policy, BindingEntry Entry)>();
        foreach (var policy in policies)
        {
            foreach (var binding in policy.Bindings)
            {
                if (!owners.TryGetValue((binding.Kind, binding.Value), out var owner))
                {
                    owners.Add((binding.Kind, binding.Value), (policy, binding));
                }
                else if (owner.Policy.Id != policy.Id)
                {
                    var what = binding.Kind == "api_keys" ? "API key id" : "model";
                    diagnostics.Add(new PolicyDiagnostic(policy.File, binding.Position.Line, binding.Position.Column, PolicyDiagnosticCodes.BindingClash,
                        $"The {what} '{binding.Value}' is already bound to policy '{owner.Policy.Id}' ({owner.Policy.File}:{owner.Entry.Position.Line}:{owner.Entry.Position.Column}); a {what} selects one policy."));
                }
            }
        }

        if (defaultPolicyId is not null)
        {
            if (!ids.TryGetValue(defaultPolicyId, out var defaultPolicy))
            {
                diagnostics.Add(new PolicyDiagnostic(setLabel, 0, 0, PolicyDiagnosticCodes.MissingDefault,
                    $"The default policy '{defaultPolicyId}' is not defined (no {defaultPolicyId}.yaml); requests that name no policy would have none."));
            }
            else if (defaultPolicy.Policy is { } policy && supportedFormats is not null && !supportedFormats.Contains(policy.FormatId))
            {
                diagnostics.Add(new PolicyDiagnostic(defaultPolicy.File, defaultPolicy.IdPosition.Line, defaultPolicy.IdPosition.Column, PolicyDiagnosticCodes.MissingDefault,
                    $"The default policy '{defaultPolicyId}' uses the format '{policy.FormatId}', which the loaded model cannot serve; choose a default policy for this model."));
            }
        }

        return diagnostics;
    }
}
