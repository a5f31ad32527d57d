using System.Threading.Channels;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Core.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>How <see cref="CanaryClassifier"/> fails from <see cref="CanaryClassifier.FailFromCall"/> on.</summary>
public enum ClassifierFault
{
    Throw,
    ClassifierError,
    QueueFull,
    OwnTimeout,
    ParseFailure,
}

/// <summary>
/// A guard that calls the assessed (last) message unsafe when it contains a canary phrase, and records every
/// text it judged safe, in order. Faults, latency on a fake clock and a hold can be injected.
/// </summary>
public sealed class CanaryClassifier(IReadOnlyList<string> canaries, string unsafeCode = "S1") : IGuardClassifier
{
    private readonly Lock _gate = new();
    private readonly List<string> _safe = [];
    private readonly List<string> _assessed = [];

    public GuardModelInfo Model { get; } = new("canary-guard", ["llama-guard-3-8b"], IsDemo: true);

    /// <summary>1-based call number from which every call fails; 0 never.</summary>
    public int FailFromCall { get; set; }

    public ClassifierFault Fault { get; set; }

    public FakeTimeProvider? Clock { get; set; }

    public TimeSpan Latency { get; set; }

    /// <summary>When set, every call waits for it (or for cancellation) before answering.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public TaskCompletionSource CallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every call waits for one item of it (or for cancellation) before answering: one per check.</summary>
    public Channel<bool>? Turnstile { get; set; }

    /// <summary>Lets one call waiting at (or coming to) the <see cref="Turnstile"/> answer.</summary>
    public void LetOneCheckAnswer() => Assert.True(Turnstile?.Writer.TryWrite(true));

    /// <summary>The number of every call, written when the call starts.</summary>
    public Channel<int> Started { get; } = Channel.CreateUnbounded<int>();

    /// <summary>A probability for unsafe answers (e.g. below a threshold to test flags).</summary>
    public float UnsafeProbability { get; set; } = 0.95f;

    public int Calls { get { lock (_gate) { return _assessed.Count; } } }

    public IReadOnlyList<string> Assessed { get { lock (_gate) { return [.. _assessed]; } } }

    public IReadOnlyList<string> SafeTexts { get { lock (_gate) { return [.. _safe]; } } }

    public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = request.Messages[^1].Content;
        int call;
        lock (_gate)
        {
            _assessed.Add(text);
            call = _assessed.Count;
        }

        CallStarted.TrySetResult();
        Started.Writer.TryWrite(call);
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (Turnstile is { } turnstile)
        {
            await turnstile.Reader.ReadAsync(cancellationToken);
        }

        Clock?.Advance(Latency);
        if (FailFromCall > 0 && call >= FailFromCall)
        {
            return Fault switch
            {
                ClassifierFault.Throw => throw new InvalidOperationException("injected classifier fault"),
                ClassifierFault.ClassifierError => new GuardError(GuardErrorCode.ClassifierFailure, "injected"),
                ClassifierFault.QueueFull => new GuardError(GuardErrorCode.QueueFull, "injected"),
                ClassifierFault.OwnTimeout => new GuardError(GuardErrorCode.Cancelled, "injected deadline"),
                _ => FakeGuardClassifier.Classification(GuardOutcome.ParseFailure, 0.5f, parseFailure: "injected"),
            };
        }

        if (canaries.Any(c => text.Contains(c, StringComparison.Ordinal)))
        {
            return FakeGuardClassifier.Unsafe(UnsafeProbability, unsafeCode);
        }

        lock (_gate)
        {
            _safe.Add(text);
        }

        return FakeGuardClassifier.Safe();
    }
}
