using GuardGateway.Policies.Store;
using Microsoft.Extensions.Hosting;

namespace GuardGateway.Server.PolicyHosting;

/// <summary>Loads the policy directory before the server takes calls, then watches it for edits (hot reload).</summary>
internal sealed class PolicyStoreHost(PolicyStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A broken directory is not fatal: the store reports it (logs, health NOT_SERVING) and the watcher
        // picks up the fix.
        await store.ReloadAsync(cancellationToken);
        store.StartWatching();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.StopWatching();
        return Task.CompletedTask;
    }
}
