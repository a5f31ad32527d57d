namespace GuardGateway.Server.Proxy;

/// <summary>How a fail-closed "no verdict" is presented to a proxy client.</summary>
public enum NoVerdictResponse
{
    /// <summary>A normal answer whose choices are refused (<c>content_filter</c>), marked <c>no_verdict</c>.</summary>
    Refusal,

    /// <summary>An error: HTTP 503 / gRPC UNAVAILABLE.</summary>
    Error,
}
