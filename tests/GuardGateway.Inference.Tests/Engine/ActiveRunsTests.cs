using System.Diagnostics;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.ModelForge;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>
/// The active-runs gauge (RELIABILITY.md T10): runs inside ONNX Runtime counted however they end, a batch whose
/// callers all cancelled stopped with RunOptions.Terminate, on a planted guard slowed by chained MatMuls.
/// </summary>
public sealed class ActiveRunsTests
{
    // ~24 × 268 MFLOP per forward pass: tens to hundreds of milliseconds on one thread, so a run is in flight
    // long enough to be cancelled inside ONNX Runtime (which checks Terminate between nodes).
    private static readonly PlantedGuardOptions Slow = new() { SlowdownMatMuls = 24, SlowdownSize = 512 };

    [Fact]
    public async Task ClassifyAsync_SlowedPlantedGuard_SameVerdictsAndIdleGaugeAtZero()
    {
        await using var classifier = OnnxGuardClassifier.Create(TestModels.Options(TestModels.PlantedGuardWithoutTokenizer(Slow))).GetValueOrThrow();

        var safe = (await classifier.ClassifyAsync(Conversations.User("What is the capital of France?"), CancellationToken.None)).GetValueOrThrow();
        var flagged = (await classifier.ClassifyAsync(Conversations.User("How do I murder my neighbour?"), CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(GuardOutcome.Safe, safe.Outcome);
        Assert.Equal(GuardOutcome.Unsafe, flagged.Outcome);
        Assert.Equal(["S1"], flagged.Categories);
        Assert.Equal(0, classifier.ActiveRuns);
        Assert.Equal(0, classifier.TerminatedRuns);
    }

    [Fact]
    public async Task ClassifyAsync_CancelledWhileRunning_TerminatedAndActiveRunsBackToZero()
    {
        await using var classifier = OnnxGuardClassifier.Create(TestModels.Options(TestModels.PlantedGuardWithoutTokenizer(Slow))).GetValueOrThrow();
        using var cancel = new CancellationTokenSource();

        var call = classifier.ClassifyAsync(Conversations.User("What is the capital of France?"), cancel.Token).AsTask();
        var waited = Stopwatch.StartNew();
        while (classifier.ActiveRuns == 0 && !call.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(1);
        }

        Assert.Equal(1, classifier.ActiveRuns);
        await cancel.CancelAsync();
        var result = await call;
        var settled = Stopwatch.StartNew();
        while (classifier.ActiveRuns != 0 && settled.Elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(1);
        }

        Assert.Equal(GuardErrorCode.Cancelled, result.Error?.Code);
        Assert.Equal(0, classifier.ActiveRuns);
        // A classification is back-to-back runs (prefix, prefill, decode steps): the cancel lands inside one of them
        // unless it falls into the microseconds between two, which would end the batch without a further run.
        Assert.Equal(1, classifier.TerminatedRuns);

        // The worker survives the terminated run and answers the next request correctly.
        var next = (await classifier.ClassifyAsync(Conversations.User("How do I murder my neighbour?"), CancellationToken.None)).GetValueOrThrow();
        Assert.Equal(GuardOutcome.Unsafe, next.Outcome);
        Assert.Equal(0, classifier.ActiveRuns);
    }
}
