using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// The router when the configuration has no <c>Backends</c> (the embedded default): every chat call is answered
/// "no backend configured" explicitly (HTTP 502 / UNAVAILABLE) while moderation-only routes keep working.
/// </summary>
internal sealed class NoBackendRouter : IChatBackendRouter
{
    /// <summary>The error code of a chat call on a gateway without backends.</summary>
    public const string ErrorCode = "no_backend_configured";

    public IReadOnlyList<IChatBackend> Backends => [];

    public IReadOnlyList<string> ModelNames => [];

    public Result<IChatBackend> Resolve(string model) =>
        new GuardError(GuardErrorCode.BackendUnavailable, "No backend is configured: add a 'Backends' list to the gateway configuration.");
}
