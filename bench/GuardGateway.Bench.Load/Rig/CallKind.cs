namespace GuardGateway.Bench.Load.Rig;

/// <summary>How the gateway answered one request.</summary>
internal enum CallKind
{
    /// <summary>Forwarded and released (HTTP 200 / OK, <c>finish_reason: stop</c>).</summary>
    Allowed,

    /// <summary>Refused by the guard (<c>content_filter</c>).</summary>
    Blocked,

    /// <summary>Shed by a limiter: HTTP 429 / RESOURCE_EXHAUSTED.</summary>
    Shed,

    /// <summary>No verdict, fail closed: HTTP 503 / UNAVAILABLE.</summary>
    NoVerdict,

    /// <summary>Anything else (an error status, a transport failure, the client's timeout).</summary>
    Error,
}
