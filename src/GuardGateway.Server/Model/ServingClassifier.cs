using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Model;

/// <summary>
/// The <see cref="IGuardClassifier"/> the moderation pipeline sees: the loaded model, or a "no verdict"
/// error while the model is loading or failed to load (so the policy's fail mode decides, never "safe").
/// Counts the classifications submitted and not yet answered (queued or running) for the metrics.
/// </summary>
internal sealed class ServingClassifier(GuardModelState state) : IGuardClassifier
{
    private static readonly GuardModelInfo Loading = new("(model loading)", [], IsDemo: false);

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
        try
        {
            return await loaded.ClassifyAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref pending);
        }
    }
}
