using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.Options;
using GuardGateway.Server.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace GuardGateway.Server.Model;

/// <summary>
/// The <see cref="IGuardClassifier"/> the moderation pipeline sees: the loaded model behind the named pipeline
/// <c>guardgateway-classifier</c> (timeout, limiter, fallback to a "no verdict" value), or a "no verdict" error while
/// the model is loading or failed to load (so the policy's fail mode decides, never "safe").
/// <para>The caller never waits for a classifier that ignores cancellation: when the pipeline's deadline (or the
/// caller's token) fires, the answer is "no verdict" at once and the run is left to finish, or be terminated, in the
/// background. Polly's timeout cancels its token and then awaits the callback, so a run that does not observe the
/// token (a blocking native call, a stuck batch) would otherwise hold the answer until it returned (RELIABILITY.md
/// T1: a failed verdict is answered within the deadline). A late result is discarded, never used as a verdict. An
/// abandoned run no longer holds a limiter permit, so abandoned runs are bounded on their own: while
/// <c>Guard:Classifier:MaxConcurrentCalls</c> of them are still running, new classifications are refused at once
/// (<see cref="GuardErrorCode.QueueFull"/>, no verdict) instead of piling more work on a classifier that does not stop.</para>
/// Counts the classifications submitted and not yet finished (queued, running, or abandoned and still running) for the
/// metrics.
/// </summary>
internal sealed class ServingClassifier(GuardModelState state, ResiliencePipelineProvider<string> pipelines, IOptions<ClassifierOptions> options) : IGuardClassifier
{
    private static readonly GuardModelInfo Loading = new("(model loading)", [], IsDemo: false);

    private readonly ResiliencePipeline<Result<GuardClassification>> pipeline = pipelines.GetPipeline<Result<GuardClassification>>(ClassifierPipeline.Key);

    private readonly int maxAbandoned = options.Value.MaxConcurrentCalls;

    private int pending;

    private int abandoned;

    public GuardModelInfo Model => state.Classifier?.Model ?? Loading;

    /// <summary>
    /// Classifications waiting in the engine's queue or running now, including those answered "no verdict" at their
    /// deadline whose run has not returned yet (so a classifier that ignores cancellation shows up here).
    /// </summary>
    public int Pending => Volatile.Read(ref pending);

    /// <summary>Runs answered "no verdict" at their deadline that have not returned yet.</summary>
    public int Abandoned => Volatile.Read(ref abandoned);

    public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        if (state.Classifier is not { } loaded)
        {
            return state.Failure is { } failure
                ? new GuardError(GuardErrorCode.ModelInvalid, "The guard model failed to load: " + failure.Message)
                : new GuardError(GuardErrorCode.ModelInvalid, "The guard model is still loading.");
        }

        if (Abandoned >= maxAbandoned)
        {
            return new GuardError(GuardErrorCode.QueueFull, "The classifier is still running Guard:Classifier:MaxConcurrentCalls calls abandoned at their deadline.");
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
                        return Outcome.FromResult(await s.self.RunUntilDeadlineAsync(s.loaded, s.request, ctx.CancellationToken));
                    }
                    catch (Exception exception)
                    {
                        // Exceptions go to the pipeline as outcomes: the timeout tells its own cancellation from the
                        // caller's, and the fallback turns the rest into "no verdict".
                        return Outcome.FromException<Result<GuardClassification>>(exception);
                    }
                },
                context,
                (self: this, loaded, request));
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

    /// <summary>
    /// Runs the classifier and returns its result, or throws <see cref="OperationCanceledException"/> as soon as
    /// <paramref name="deadline"/> (the pipeline timeout's token, linked to the caller's) fires, whether or not the run
    /// observed it. An abandoned run stays counted in <see cref="Pending"/> until it returns; its result or exception is
    /// observed and dropped.
    /// </summary>
    private async Task<Result<GuardClassification>> RunUntilDeadlineAsync(IGuardClassifier loaded, GuardClassificationRequest request, CancellationToken deadline)
    {
        var run = loaded.ClassifyAsync(request, deadline);
        if (run.IsCompleted)
        {
            return await run;
        }

        var task = run.AsTask();
        try
        {
            return await task.WaitAsync(deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !task.IsCompleted)
        {
            Interlocked.Increment(ref pending);
            Interlocked.Increment(ref abandoned);
            _ = task.ContinueWith(
                static (finished, s) =>
                {
                    _ = finished.Exception; // observed: an abandoned run's fault is not an unobserved task exception
                    var self = (ServingClassifier)s!;
                    Interlocked.Decrement(ref self.abandoned);
                    Interlocked.Decrement(ref self.pending);
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }
}
