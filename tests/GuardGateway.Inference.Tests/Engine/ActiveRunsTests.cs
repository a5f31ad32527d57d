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

        // A classification is back-to-back runs (prefix, prefill, decode steps) with host work between them; on a
        // loaded machine the cancel can still fall into a gap between two runs, which ends the batch without
        // terminating a run. Every attempt must end cancelled with the gauge back at zero; at least one of a few
        // attempts must land inside a run and terminate it (all missing would mean Terminate is never used).
        const int maxAttempts = 5;
        for (var attempt = 1; attempt <= maxAttempts && classifier.TerminatedRuns == 0; attempt++)
        {
            using var cancel = new CancellationTokenSource();
            var call = classifier.ClassifyAsync(Conversations.User("What is the capital of France?"), cancel.Token).AsTask();
            var cancelledInRun = await CancelOnceRunningAsync(classifier, call, cancel);
            var result = await call;

            Assert.True(cancelledInRun, $"attempt {attempt}: no run was observed in flight before the call completed");
            Assert.Equal(GuardErrorCode.Cancelled, result.Error?.Code);
            Assert.True(await PollAsync(() => classifier.ActiveRuns == 0, TimeSpan.FromSeconds(1)), "the active-runs gauge did not return to 0");
        }

        Assert.InRange(classifier.TerminatedRuns, 1, maxAttempts);

        // The worker survives the terminated run and answers the next request correctly.
        var next = (await classifier.ClassifyAsync(Conversations.User("How do I murder my neighbour?"), CancellationToken.None)).GetValueOrThrow();
        Assert.Equal(GuardOutcome.Unsafe, next.Outcome);
        Assert.Equal(0, classifier.ActiveRuns);
    }

    [Fact]
    public async Task ClassifyAsync_WhileRunning_ThreadPoolKeepsServingContinuations()
    {
        await using var classifier = OnnxGuardClassifier.Create(TestModels.Options(TestModels.PlantedGuardWithoutTokenizer(Slow))).GetValueOrThrow();

        // Forward passes must not occupy thread-pool threads: with the worker on the pool, a Task.Delay(1) loop on a
        // 2-core machine ran only in the gaps between runs (0 of ~6 polls saw a run in flight, across hundreds of
        // milliseconds of inference). A few classifications give the pool every chance to show that it is free.
        var pollsDuringRuns = 0;
        for (var attempt = 0; attempt < 5 && pollsDuringRuns == 0; attempt++)
        {
            var call = classifier.ClassifyAsync(Conversations.User("What is the capital of France?"), CancellationToken.None).AsTask();
            while (!call.IsCompleted)
            {
                await Task.Delay(1);
                pollsDuringRuns += classifier.ActiveRuns > 0 ? 1 : 0;
            }

            Assert.Equal(GuardOutcome.Safe, (await call).GetValueOrThrow().Outcome);
        }

        Assert.True(pollsDuringRuns > 0, "no thread-pool continuation ran while a forward pass was in flight");
    }

    /// <summary>Cancels from the polling thread itself the moment a run is seen in flight (no hop back to the test).</summary>
    private static Task<bool> CancelOnceRunningAsync(OnnxGuardClassifier classifier, Task call, CancellationTokenSource cancel) =>
        PollAsync(
            () =>
            {
                if (classifier.ActiveRuns > 0 && !call.IsCompleted)
                {
                    cancel.Cancel();
                    return true;
                }

                return call.IsCompleted;
            },
            TimeSpan.FromSeconds(30)).ContinueWith(polled => polled.Result && cancel.IsCancellationRequested, TaskScheduler.Default);

    // Polls on a dedicated thread: while ONNX Runtime's threads keep both cores of a small machine busy, thread-pool
    // and xUnit continuations (Task.Delay) can wait out a whole run, so a poll based on them misses it.
    private static Task<bool> PollAsync(Func<bool> condition, TimeSpan limit) =>
        Task.Factory.StartNew(
            () =>
            {
                var waited = Stopwatch.StartNew();
                while (!condition())
                {
                    if (waited.Elapsed > limit)
                    {
                        return false;
                    }

                    Thread.Sleep(1);
                }

                return true;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
}
