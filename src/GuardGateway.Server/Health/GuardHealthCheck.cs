using GuardGateway.Server.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GuardGateway.Server.Health;

/// <summary>
/// Readiness of the guard model: Healthy (gRPC SERVING) once loaded, Unhealthy (NOT_SERVING) while loading
/// or after a failed load. The detail names the model and whether it is the demo guard.
/// </summary>
internal sealed class GuardModelHealthCheck(GuardModelState state, IGuardModelSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.Classifier is { } classifier)
        {
            var model = classifier.Model;
            var data = new Dictionary<string, object>
            {
                ["model"] = model.Name,
                ["demo_model"] = model.IsDemo,
                ["formats"] = string.Join(',', model.SupportedFormats),
            };
            var description = model.IsDemo
                ? $"DEMO MODEL {model.Name} loaded: a test guard, not a safety model"
                : $"Model {model.Name} loaded";
            return Task.FromResult(HealthCheckResult.Healthy(description, data));
        }

        var detail = state.Failure is { } failure
            ? $"Model failed to load from {source.Location}: {failure.Message}"
            : $"Model loading from {source.Location}";
        return Task.FromResult(HealthCheckResult.Unhealthy(detail));
    }
}
