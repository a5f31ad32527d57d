using GuardGateway.Core.Results;

namespace GuardGateway.Server.Proxy;

/// <summary>A failed proxy call: a kind, a stable machine-readable code and a message that never contains payload text.</summary>
/// <param name="Kind">What failed.</param>
/// <param name="Code">A stable snake_case code (OpenAI <c>error.code</c>, gRPC ErrorInfo reason in upper case).</param>
/// <param name="Message">A human-readable reason.</param>
internal sealed record ProxyError(ProxyErrorKind Kind, string Code, string Message)
{
    /// <summary>An invalid request.</summary>
    public static ProxyError Invalid(string message) => new(ProxyErrorKind.InvalidRequest, "invalid_request", message);

    /// <summary>A stream still open at the end of the shutdown grace (RELIABILITY.md T13).</summary>
    public static ProxyError ShuttingDown => new(ProxyErrorKind.ShuttingDown, "shutting_down", "The gateway is shutting down; the stream was stopped before its end. Retry the request.");

    /// <summary>The one mapping of a core error to a proxy error.</summary>
    public static ProxyError From(GuardError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Code switch
        {
            GuardErrorCode.InvalidRequest => new(ProxyErrorKind.InvalidRequest, "invalid_request", error.Message),
            GuardErrorCode.PromptTooLong => new(ProxyErrorKind.InvalidRequest, "prompt_too_long", error.Message),
            GuardErrorCode.PolicyNotFound => new(ProxyErrorKind.NotFound, "policy_not_found", error.Message),
            GuardErrorCode.PolicyUnavailable => new(ProxyErrorKind.Unavailable, "policy_unavailable", error.Message),
            GuardErrorCode.ModelNotRouted => new(ProxyErrorKind.NotFound, "model_not_found", error.Message),
            GuardErrorCode.BackendUnavailable => new(ProxyErrorKind.BadGateway, "backend_unavailable", error.Message),
            GuardErrorCode.BackendProtocolError => new(ProxyErrorKind.BadGateway, "backend_protocol_error", error.Message),
            GuardErrorCode.BackendRejected => new(ProxyErrorKind.BadGateway, "backend_rejected", error.Message),
            GuardErrorCode.BackendOverloaded => new(ProxyErrorKind.RateLimited, "backend_overloaded", error.Message),
            GuardErrorCode.BackendTimeout => new(ProxyErrorKind.GatewayTimeout, "backend_timeout", error.Message),
            GuardErrorCode.Cancelled => new(ProxyErrorKind.Cancelled, "cancelled", error.Message),
            GuardErrorCode.QueueFull => new(ProxyErrorKind.RateLimited, "guard_queue_full", error.Message),
            _ => new(ProxyErrorKind.Unavailable, "guard_unavailable", error.Message),
        };
    }
}
