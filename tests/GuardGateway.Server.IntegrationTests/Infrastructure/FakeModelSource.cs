using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.Model;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>Yields a fake classifier, optionally only once <see cref="Release"/> is called (to watch NOT_SERVING -> SERVING).</summary>
internal sealed class FakeModelSource(IGuardClassifier classifier, bool gated = false) : IGuardModelSource
{
    private readonly TaskCompletionSource gate = NewGate(gated);

    public string Location => "fake:" + classifier.Model.Name;

    public void Release() => gate.TrySetResult();

    public async Task<Result<IGuardClassifier>> LoadAsync(CancellationToken cancellationToken)
    {
        await gate.Task.WaitAsync(cancellationToken);
        return Result.Success(classifier);
    }

    private static TaskCompletionSource NewGate(bool gated)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!gated)
        {
            source.SetResult();
        }

        return source;
    }
}
