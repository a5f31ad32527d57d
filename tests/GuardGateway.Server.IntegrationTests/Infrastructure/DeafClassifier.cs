using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>
/// A guard that ignores its cancellation token (like a blocking native call or a stuck batch): every classification
/// returns "safe" only when <see cref="Release"/> is called, however long after its deadline.
/// </summary>
internal sealed class DeafClassifier : IGuardClassifier
{
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KeywordClassifier keywords = KeywordClassifier.Default();
    private int running;

    public GuardModelInfo Model { get; } = new("deaf-fake", ["llama-guard-3-8b"], IsDemo: false);

    /// <summary>Completes when the first classification has started.</summary>
    public Task Entered => entered.Task;

    /// <summary>Classifications started and not returned yet.</summary>
    public int Running => Volatile.Read(ref running);

    public void Release() => release.TrySetResult();

#pragma warning disable CA2016 // Deliberately deaf to cancellation: that is what this fake is for.
    public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref running);
        entered.TrySetResult();
        try
        {
            await release.Task;
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }

        return await keywords.ClassifyAsync(request, CancellationToken.None);
    }
#pragma warning restore CA2016
}
