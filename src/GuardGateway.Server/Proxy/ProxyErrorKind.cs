namespace GuardGateway.Server.Proxy;

/// <summary>Why a proxy call failed; each front maps it once (HTTP status, gRPC status).</summary>
internal enum ProxyErrorKind
{
    /// <summary>The request is malformed (HTTP 400, INVALID_ARGUMENT).</summary>
    InvalidRequest,

    /// <summary>No or a wrong client key (HTTP 401, UNAUTHENTICATED).</summary>
    Unauthenticated,

    /// <summary>Unknown model, policy or route (HTTP 404, NOT_FOUND).</summary>
    NotFound,

    /// <summary>The request body is over the limit (HTTP 413, RESOURCE_EXHAUSTED).</summary>
    TooLarge,

    /// <summary>Too many calls in flight here or at the backend (HTTP 429, RESOURCE_EXHAUSTED).</summary>
    RateLimited,

    /// <summary>The backend is down, failed or broke its protocol, or none is configured (HTTP 502, UNAVAILABLE).</summary>
    BadGateway,

    /// <summary>The guard gave no verdict and the gateway answers errors for that (HTTP 503, UNAVAILABLE).</summary>
    NoVerdict,

    /// <summary>No usable policy or model (HTTP 503, FAILED_PRECONDITION).</summary>
    Unavailable,

    /// <summary>The backend timed out (HTTP 504, DEADLINE_EXCEEDED).</summary>
    GatewayTimeout,

    /// <summary>The gateway is shutting down and ended the call (HTTP 503, UNAVAILABLE: retry elsewhere).</summary>
    ShuttingDown,

    /// <summary>The caller went away (no answer is written).</summary>
    Cancelled,
}
