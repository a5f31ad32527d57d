using System.Threading.RateLimiting;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Limits;

/// <summary>
/// Bounds the moderation calls in flight. Over the limit a call is refused at once with
/// <c>RESOURCE_EXHAUSTED</c> (no queue: a moderation gateway sheds load rather than add latency).
/// </summary>
internal sealed class ConcurrencyLimitInterceptor : Interceptor, IDisposable
{
    private static readonly string ModerationPrefix = "/" + Moderation.Descriptor.FullName + "/";

    private readonly ConcurrencyLimiter limiter;
    private readonly GuardMetrics metrics;

    public ConcurrencyLimitInterceptor(IOptions<LimitsOptions> options, GuardMetrics metrics)
    {
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentRequests,
            QueueLimit = 0,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        this.metrics = metrics;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.Method.StartsWith(ModerationPrefix, StringComparison.Ordinal))
        {
            return await continuation(request, context);
        }

        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            metrics.Rejected(ErrorReasons.ConcurrencyLimit);
            throw GrpcErrors.Create(StatusCode.ResourceExhausted, ErrorReasons.ConcurrencyLimit, "Too many moderation calls in flight; retry with backoff.");
        }

        metrics.InFlight(1);
        try
        {
            return await continuation(request, context);
        }
        finally
        {
            metrics.InFlight(-1);
        }
    }

    public void Dispose() => limiter.Dispose();
}
