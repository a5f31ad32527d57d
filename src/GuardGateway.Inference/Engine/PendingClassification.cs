using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Inference.Engine;

/// <summary>A rendered request waiting for, or inside, a batch. Completed exactly once.</summary>
internal sealed class PendingClassification : IDisposable
{
    private readonly TaskCompletionSource<Result<GuardClassification>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private volatile bool _cancelled;

    public PendingClassification(int[] promptIds, int sharedPrefixLength, IReadOnlyList<string> enabledCodes, int[] codeNumberTokens, float threshold, long enqueuedTimestamp)
    {
        PromptIds = promptIds;
        SharedPrefixLength = sharedPrefixLength;
        EnabledCodes = enabledCodes;
        CodeNumberTokens = codeNumberTokens;
        Threshold = threshold;
        EnqueuedTimestamp = enqueuedTimestamp;
    }

    /// <summary>The full prompt ids, trailing 271 included.</summary>
    public int[] PromptIds { get; }

    /// <summary>Leading ids shared by every request under the same format, role and categories.</summary>
    public int SharedPrefixLength { get; }

    /// <summary>The codes in the prompt, in order.</summary>
    public IReadOnlyList<string> EnabledCodes { get; }

    /// <summary>The number token after <c>S</c> for each enabled code (-1 when not one token).</summary>
    public int[] CodeNumberTokens { get; }

    public float Threshold { get; }

    public long EnqueuedTimestamp { get; }

    /// <summary>Raised (on the canceller's thread) when the caller cancels.</summary>
    public Action? Cancelled { get; set; }

    public bool IsCancelled => _cancelled;

    public bool IsCompleted => _completion.Task.IsCompleted;

    public Task<Result<GuardClassification>> Task => _completion.Task;

    /// <summary>Completes with <see cref="GuardErrorCode.Cancelled"/> as soon as the token fires.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        _registration = cancellationToken.UnsafeRegister(static state =>
        {
            var self = (PendingClassification)state!;
            self._cancelled = true;
            self.TryComplete(new GuardError(GuardErrorCode.Cancelled, "The classification was cancelled."));
            self.Cancelled?.Invoke();
        }, this);
    }

    public bool TryComplete(Result<GuardClassification> result) => _completion.TrySetResult(result);

    public void Dispose() => _registration.Dispose();
}
