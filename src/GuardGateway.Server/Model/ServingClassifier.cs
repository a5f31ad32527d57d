using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Model;

/// <summary>
/// The <see cref="IGuardClassifier"/> the moderation pipeline sees: the loaded model, or a "no verdict"
/// error while the model is loading or failed to load (so the policy's fail mode decides, never "safe").
/// </summary>
internal sealed class ServingClassifier(GuardModelState state) : IGuardClassifier
{
    private static readonly GuardModelInfo Loading = new("(model loading)", [], IsDemo: false);

    public GuardModelInfo Model => state.Classifier?.Model ?? Loading;

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        if (state.Classifier is { } loaded)
        {
            return loaded.ClassifyAsync(request, cancellationToken);
        }

        var error = state.Failure is { } failure
            ? new GuardError(GuardErrorCode.ModelInvalid, "The guard model failed to load: " + failure.Message)
            : new GuardError(GuardErrorCode.ModelInvalid, "The guard model is still loading.");
        return ValueTask.FromResult<Result<GuardClassification>>(error);
    }
}
