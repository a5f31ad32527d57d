using System.Threading.RateLimiting;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.Options;
using Polly;
using Polly.Fallback;
using Polly.RateLimiting;
using Polly.Telemetry;
using Polly.Timeout;

namespace GuardGateway.Server.Resilience;

/// <summary>
/// The classifier's named pipeline (RELIABILITY.md T22, ARCHITECTURE.md rule 10), outermost first: a fallback that
/// turns every failure into a <see cref="GuardError"/> value (so the policy's fail mode decides: block by default,
/// never "safe"), a timeout, then a concurrency limiter with a small queue (rejects fast when full). The timeout is
/// outside the limiter so <c>Guard:Classifier:Timeout</c> bounds the whole classification, the wait for a permit
/// included (RELIABILITY.md T1: a failed verdict is answered within the deadline; with the limiter outside, a request
/// queued behind stalled calls used to wait for a permit first and only then start its own deadline).
/// The callback must honour the timeout's token even when the classifier does not: see
/// <see cref="Model.ServingClassifier"/>. No chaos strategies here: fault injection belongs to tests only.
/// </summary>
internal static class ClassifierPipeline
{
    /// <summary>The registry key.</summary>
    public const string Key = "guardgateway-classifier";

    /// <summary>Adds the strategies; returns the limiter so the caller can dispose it with the pipeline.</summary>
    public static ConcurrencyLimiter Configure(ResiliencePipelineBuilder<Result<GuardClassification>> builder, ClassifierOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.TimeProvider = timeProvider;
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentCalls,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        var timeout = options.Timeout;
        builder
            .AddFallback(new FallbackStrategyOptions<Result<GuardClassification>>
            {
                Name = "fallback-no-verdict",

                // Only exceptions: an error value from the classifier is already "no verdict" for the fail mode.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null),
                FallbackAction = args => Outcome.FromResultAsValueTask(ToNoVerdict(args.Outcome.Exception!, timeout, args.Context.CancellationToken)),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "timeout", Timeout = timeout })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "concurrency",
                RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
            });
        return limiter;
    }

    /// <summary>
    /// A classifier timeout or a full queue is an expected failure (a value the fail mode decides, counted and logged as
    /// no-verdict), not an error of the server: Polly's telemetry reports these at Warning instead of Error for this
    /// pipeline. Other pipelines keep the severity they had.
    /// </summary>
    public static void ConfigureTelemetry(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
            args.Source.PipelineName == Key && args.Event.EventName is "OnTimeout" or "OnRateLimiterRejected"
                ? ResilienceEventSeverity.Warning
                : previous?.Invoke(args) ?? args.Event.Severity;
    }

    /// <summary>The value an exception becomes. Messages carry no request text (only types and settings).</summary>
    internal static Result<GuardClassification> ToNoVerdict(Exception exception, TimeSpan timeout, CancellationToken callerToken) => exception switch
    {
        RateLimiterRejectedException => new GuardError(GuardErrorCode.QueueFull, "The classifier's concurrency limit and queue are full (Guard:Classifier)."),
        TimeoutRejectedException => new GuardError(GuardErrorCode.ClassifierFailure, $"The classifier did not answer within Guard:Classifier:Timeout ({timeout.TotalMilliseconds:0} ms)."),
        OperationCanceledException when callerToken.IsCancellationRequested => new GuardError(GuardErrorCode.Cancelled, "The request was cancelled before the guard answered."),
        _ => new GuardError(GuardErrorCode.ClassifierFailure, $"The classifier threw {exception.GetType().Name}."),
    };
}
