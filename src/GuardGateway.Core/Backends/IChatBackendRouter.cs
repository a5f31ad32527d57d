using GuardGateway.Core.Results;

namespace GuardGateway.Core.Backends;

/// <summary>Picks the backend that serves a model name, from the configured <c>Backends</c> list.</summary>
public interface IChatBackendRouter
{
    /// <summary>Every configured backend, in configuration order.</summary>
    IReadOnlyList<IChatBackend> Backends { get; }

    /// <summary>The explicitly routed model names (without <c>*</c>), for <c>GET /v1/models</c>.</summary>
    IReadOnlyList<string> ModelNames { get; }

    /// <summary>
    /// The backend for <paramref name="model"/>: the one listing the name exactly (ordinal), else the one listing
    /// <c>*</c>; otherwise <see cref="GuardErrorCode.ModelNotRouted"/>.
    /// </summary>
    Result<IChatBackend> Resolve(string model);
}
