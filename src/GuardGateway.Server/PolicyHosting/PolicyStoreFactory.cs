using GuardGateway.Core.Policies;
using GuardGateway.Policies.Store;
using GuardGateway.Server.Hosting;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.PolicyHosting;

/// <summary>Creates the one <see cref="PolicyStore"/> from <see cref="GuardOptions"/>.</summary>
internal static class PolicyStoreFactory
{
    public static PolicyStore Create(IOptions<GuardOptions> options, TimeProvider time, ILogger<PolicyStore> logger, IPolicyAuditSink audit)
    {
        var guard = options.Value;
        var directory = guard.PoliciesPath.Length > 0
            ? guard.PoliciesPath
            : ServerPaths.FindPoliciesDirectory() ?? Path.Combine(AppContext.BaseDirectory, "policies");

        // Every known format stays selectable here: the loaded model is only known later (it loads in the
        // background), so the services check a policy's format against the model per request instead.
        return new PolicyStore(
            new PolicyStoreOptions { Directory = Path.GetFullPath(directory), DefaultPolicyId = guard.DefaultPolicy },
            time,
            logger,
            audit);
    }
}
