using System.Globalization;
using GuardGateway.Core.Policies;
using GuardGateway.Server.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GuardGateway.Server.Health;

/// <summary>
/// Readiness of the policies: Unhealthy (NOT_SERVING) without a valid set or without the default policy;
/// Degraded (still SERVING: the last good set keeps serving) when the latest edit on disk is broken, with the
/// errors in the detail.
/// </summary>
internal sealed class PolicyHealthCheck(IPolicyStore store, GuardModelState model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = store.Status;
        var current = store.Current;
        var data = new Dictionary<string, object>
        {
            ["policies"] = status.PolicyCount,
            ["generation"] = status.Generation,
            ["default_policy"] = current.DefaultPolicyId,
            ["failed_reloads"] = status.FailedReloadCount,
        };
        var errors = status.LastDiagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToArray();
        if (errors.Length > 0)
        {
            data["errors"] = errors;
        }

        if (!status.HasValidSet)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No valid policy set is loaded.", data: data));
        }

        if (current.Find(current.DefaultPolicyId) is not { } defaultPolicy || !current.IsServable(defaultPolicy))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The default policy '{current.DefaultPolicyId}' is not loaded or not servable by the model.", data: data));
        }

        if (model.Classifier is { } loaded && !loaded.Model.SupportedFormats.Contains(defaultPolicy.FormatId, StringComparer.Ordinal))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The default policy '{defaultPolicy.Id}' uses the format '{defaultPolicy.FormatId}', which the loaded model cannot serve.", data: data));
        }

        if (!status.LastReloadSucceeded)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"The last policy reload failed with {errors.Length} error(s); the last good set keeps serving.");
            return Task.FromResult(HealthCheckResult.Degraded(message, data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{status.PolicyCount} policies loaded (generation {status.Generation}).", data));
    }
}
