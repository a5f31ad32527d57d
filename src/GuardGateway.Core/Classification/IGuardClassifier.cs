using GuardGateway.Core.Results;

namespace GuardGateway.Core.Classification;

/// <summary>Runs the guard model. Implementations are thread-safe and never throw for expected failures.</summary>
public interface IGuardClassifier
{
    /// <summary>The model behind this classifier.</summary>
    GuardModelInfo Model { get; }

    /// <summary>
    /// Classifies a conversation. Expected failures (invalid request, prompt too long, queue full,
    /// cancellation, runtime failure) come back as <see cref="GuardError"/> values: "no verdict", never safe.
    /// </summary>
    ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken);
}
