using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>A guard that answers only when cancelled (or released), to exercise deadlines and the concurrency limit.</summary>
internal sealed class StallingClassifier : IGuardClassifier
{
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GuardModelInfo Model { get; } = new("stalling-fake", ["llama-guard-3-8b"], IsDemo: false);

    private readonly TaskCompletionSource cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a classification saw its cancellation token fire.</summary>
    public Task Cancelled => cancelled.Task;

    /// <summary>Completes when the first classification has started.</summary>
    public Task Entered => entered.Task;

    public void Release() => release.TrySetResult();

    public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        entered.TrySetResult();
        try
        {
            await release.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled.TrySetResult();
            return new GuardError(GuardErrorCode.Cancelled, "cancelled while waiting");
        }

        return new GuardError(GuardErrorCode.ClassifierFailure, "released without a verdict");
    }
}
