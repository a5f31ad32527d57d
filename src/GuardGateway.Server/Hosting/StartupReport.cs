using GuardGateway.Server.Auth;
using GuardGateway.Server.Logging;
using GuardGateway.Server.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Hosting;

/// <summary>Logs the auth set-up once at start: key ids (for policy bindings), never keys.</summary>
internal sealed class StartupReport(ApiKeyRing keys, GuardMetrics metrics, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the metrics here creates the observable engine instruments before the first scrape.
        GC.KeepAlive(metrics);
        if (!keys.ClientAuthEnabled)
        {
            ServerLog.ClientAuthDisabled(logger);
        }

        if (!keys.AdminEnabled)
        {
            ServerLog.AdminDisabled(logger);
        }

        foreach (var id in keys.ClientKeyIds)
        {
            ServerLog.KeyConfigured(logger, "Client", id);
        }

        foreach (var id in keys.AdminKeyIds)
        {
            ServerLog.KeyConfigured(logger, "Admin", id);
        }

        foreach (var id in keys.PolicyOwnerKeyIds)
        {
            ServerLog.KeyConfigured(logger, "PolicyOwner", id);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
