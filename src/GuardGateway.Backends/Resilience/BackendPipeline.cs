using System.Threading.RateLimiting;
using GuardGateway.Backends.Configuration;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace GuardGateway.Backends.Resilience;

/// <summary>
/// Builds the per-backend pipeline, outermost first (RELIABILITY T22): concurrency limiter, total timeout, retry,
/// circuit breaker, attempt timeout. Retries also draw on a per-backend <see cref="RetryBudget"/> (at most ~20 % extra load). The limiter is outermost so retries never take extra permits; the breaker sits
/// inside the retry so every attempt is counted, and outside the attempt timeout so a timed-out attempt counts as a
/// failure. No chaos strategies here: fault injection belongs to tests only.
/// </summary>
internal static class BackendPipeline
{
    /// <summary>The registry key of a backend's pipeline.</summary>
    public static string Key(string backendName) => "guardgateway-backend:" + backendName;

    /// <summary>Adds the strategies; returns the limiter so the caller can dispose it with the pipeline.</summary>
    public static ConcurrencyLimiter Configure(ResiliencePipelineBuilder builder, BackendOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.TimeProvider = timeProvider;
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Concurrency.MaxConcurrentCalls,
            QueueLimit = options.Concurrency.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var maxAttempts = options.Retry.MaxAttempts;
        var budget = new RetryBudget(options.Retry.BudgetRatio, options.Retry.BudgetMinRetriesPerSecond, options.Retry.BudgetWindow, timeProvider);
        builder
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "concurrency",
                RateLimiter = args => AcquireAsync(limiter, args.Context),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalTimeout })
            .AddRetry(new RetryStrategyOptions
            {
                Name = "retry",

                // Polly needs at least one retry; MaxAttempts = 1 is enforced by the predicate instead, so the
                // pipeline has the same shape for every configuration.
                MaxRetryAttempts = Math.Max(1, maxAttempts - 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Retry.BaseDelay,
                MaxDelay = TimeSpan.FromSeconds(2),
                // Called for every attempt's outcome: the first attempt counts the call for the retry budget (T11), and
                // a retryable failure is retried only while attempts remain and the budget allows it.
                ShouldHandle = args =>
                {
                    if (args.AttemptNumber == 0)
                    {
                        budget.RecordCall();
                    }

                    return ValueTask.FromResult(
                        args.AttemptNumber + 1 < maxAttempts
                        && args.Outcome.Result is IAttemptOutcome { Failure.Retryable: true }
                        && budget.TryRetry());
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = "circuit-breaker",
                FailureRatio = options.CircuitBreaker.FailureRatio,
                MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
                SamplingDuration = options.CircuitBreaker.SamplingDuration,
                BreakDuration = options.CircuitBreaker.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Result: IAttemptOutcome { Failure.CountsAgainstBreaker: true } } => true,
                    { Exception: TimeoutRejectedException } => true,
                    _ => false,
                }),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
        return limiter;
    }

    private static async ValueTask<RateLimitLease> AcquireAsync(ConcurrencyLimiter limiter, ResilienceContext context)
    {
        var lease = await limiter.AcquireAsync(1, context.CancellationToken);
        return lease.IsAcquired && context.Properties.TryGetValue(LeaseSlot.Key, out var slot) ? slot.Hold(lease) : lease;
    }
}
