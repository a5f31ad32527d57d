using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.Resilience;
using Polly;
using Polly.Registry;

namespace GuardGateway.Server.Model;

/// <summary>
/// The <see cref="IGuardClassifier"/> the moderation pipeline sees: the loaded model behind the named pipeline
/// <c>guardgateway-classifier</c> (limiter, timeout, fallback to a "no verdict" value), or a "no verdict" error while
/// the model is loading or failed to load (so the policy's fail mode decides, never "safe").
/// Counts the classifications submitted and not yet answered (queued or running) for the metrics.
/// </summary>
internal sealed class ServingClassifier(GuardModelState state, ResiliencePipelineProvider<string> pipelines) : IGuardClassifier
{
    private static readonly GuardModelInfo Loading = new("(model loading)", [], IsDemo: false);

    private readonly ResiliencePipeline<Result<GuardClassification>> pipeline = pipelines.GetPipeline<Result<GuardClassification>>(ClassifierPipeline.Key);

    private int pending;

    public GuardModelInfo Model => state.Classifier?.Model ?? Loading;

    /// <summary>Classifications waiting in the engine's queue or running now.</summary>
    public int Pending => Volatile.Read(ref pending);

    public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        if (state.Classifier is not { } loaded)
        {
            return state.Failure is { } failure
                ? new GuardError(GuardErrorCode.ModelInvalid, "The guard model failed to load: " + failure.Message)
                : new GuardError(GuardErrorCode.ModelInvalid, "The guard model is still loading.");
        }

        Interlocked.Increment(ref pending);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    try
                    {
                        return Outcome.FromResult(await s.loaded.ClassifyAsync(s.request, ctx.CancellationToken));
                    }
                    catch (Exception exception)
                    {
                        // Exceptions go to the pipeline as outcomes: the timeout tells its own cancellation from the
                        // caller's, and the fallback turns the rest into "no verdict".
                        return Outcome.FromException<Result<GuardClassification>>(exception);
                    }
                },
                context,
                (loaded, request));
            return outcome.Exception is { } exception
                ? ClassifierPipeline.ToNoVerdict(exception, TimeSpan.Zero, cancellationToken)
                : outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            Interlocked.Decrement(ref pending);
        }
    }
}
