using GuardGateway.Core.Results;

namespace GuardGateway.Backends.Resilience;

/// <summary>Why one attempt failed, and what the pipeline may do about it.</summary>
/// <param name="Error">The error the caller gets if this is the last attempt.</param>
/// <param name="Retryable">
/// True only when the backend surely did not start on the request and no response byte arrived (connection refused,
/// HTTP 502/503/504 or gRPC UNAVAILABLE before any body).
/// </param>
/// <param name="CountsAgainstBreaker">True when it says the backend is unhealthy (not the caller's 4xx).</param>
internal sealed record AttemptFailure(GuardError Error, bool Retryable, bool CountsAgainstBreaker);
