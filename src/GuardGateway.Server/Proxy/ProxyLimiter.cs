using System.Threading.RateLimiting;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>Bounds proxy calls in flight (both fronts, <c>Limits:MaxConcurrentRequests</c>); over it a call is refused at once, never queued.</summary>
internal sealed class ProxyLimiter(IOptions<LimitsOptions> limits) : IDisposable
{
    private readonly ConcurrencyLimiter limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = limits.Value.MaxConcurrentRequests,
        QueueLimit = 0,
    });

    /// <summary>A permit (dispose it when the call ends), or null when the limit is reached.</summary>
    public RateLimitLease? TryEnter()
    {
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        return null;
    }

    /// <summary>The error for a refused call.</summary>
    public static ProxyError Refused => new(ProxyErrorKind.RateLimited, "rate_limit_exceeded", "Too many requests in flight; retry with backoff.");

    public void Dispose() => limiter.Dispose();
}
