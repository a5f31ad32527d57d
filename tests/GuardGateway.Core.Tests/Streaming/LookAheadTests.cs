using System.Threading.Channels;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>
/// Checks coalesce when the guard is slower than the upstream: the deltas that arrive while a check runs are
/// read meanwhile and the next check covers all of them; only verified text is released; a read still waiting
/// is cancelled and awaited before the upstream is disposed, on every way out.
/// </summary>
public sealed class LookAheadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly StreamModerationOptions EveryDelta = new() { CheckIntervalChars = 0, CheckIntervalTokens = 1, CheckAtSentenceEnds = false };

    [Fact]
    public async Task ModerateAsync_SlowGuardFastUpstream_OneCheckCoversEverythingThatArrived()
    {
        // Checks every delta; the first check is held while all 200 deltas and the end arrive.
        var guard = new CanaryClassifier(StreamTestData.Canaries) { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var words = Enumerable.Range(0, 200).Select(i => StreamTestData.BenignWords[i % StreamTestData.BenignWords.Length] + " ").ToList();
        List<ChatStreamEvent> script = [StreamScript.Role(0), .. words.Select(w => StreamScript.Content(0, w)), StreamScript.Finish(0, FinishReasons.Stop), StreamScript.Usage(5, 200), StreamScript.Completed];
        var upstream = new FakeUpstream(script);

        var run = Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);
        await guard.CallStarted.Task.WaitAsync(Wait);
        guard.Hold.SetResult();
        var transcript = await run.WaitAsync(Wait);

        // One check per delta before; now the held first check, then one check of the whole answer.
        Assert.Equal([words[0], string.Concat(words)], guard.Assessed);
        Assert.Equal(2, transcript.End!.Stats.ChecksRun);
        Assert.Equal(StreamEndReason.Completed, transcript.End.Reason);
        Assert.Equal(string.Concat(words), transcript.ContentOf(0));
        Assert.Equal(FinishReasons.Stop, transcript.Finish[0]);
        Assert.NotNull(transcript.Usage);
        Assert.Equal(script.Count, upstream.Read);
    }

    [Fact]
    public async Task ModerateAsync_DeltasArriveDuringEachCheck_EachCheckCoversAllThatArrivedAndOnlyVerifiedTextLeaves()
    {
        const int Rounds = 5;
        const int PerRound = 10;
        var (guard, moderator, upstream) = Stepped();
        var words = Enumerable.Range(0, 1 + (Rounds * PerRound)).Select(i => StreamTestData.BenignWords[(i * 7) % StreamTestData.BenignWords.Length] + StreamTestData.Ends[i % StreamTestData.Ends.Length]).ToList();
        var run = Task.Run(() => Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard));
        upstream.Push(StreamScript.Role(0), StreamScript.Content(0, words[0]));
        for (var round = 0; round < Rounds; round++)
        {
            // A check runs (and waits); meanwhile the next deltas arrive and the look-ahead reads them all.
            Assert.Equal(round + 1, await guard.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait));
            upstream.Push([.. words.Skip(1 + (round * PerRound)).Take(PerRound).Select(w => StreamScript.Content(0, w))]);
            await upstream.Idle.WaitAsync(Wait);
            guard.LetOneCheckAnswer();
        }

        Assert.Equal(Rounds + 1, await guard.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        upstream.Push(StreamScript.Finish(0, FinishReasons.Stop), StreamScript.Completed);
        guard.LetOneCheckAnswer();
        var transcript = await run.WaitAsync(Wait);

        // 51 deltas: one check per delta before, 6 now (the first delta, then everything that arrived per round).
        Assert.Equal(Enumerable.Range(0, Rounds + 1).Select(r => string.Concat(words.Take(1 + (r * PerRound)))), guard.Assessed);
        Assert.Equal(StreamEndReason.Completed, transcript.End!.Reason);
        Assert.Equal(string.Concat(words), transcript.ContentOf(0));
        Assert.True(upstream.Disposed);
        Assert.False(upstream.DisposedWhileReading);
    }

    [Fact]
    public async Task ModerateAsync_ClientCancelsWhileALookAheadReadWaits_CancelsAndAwaitsItBeforeDisposing()
    {
        var (guard, moderator, upstream) = Stepped();
        using var cancellation = new CancellationTokenSource();
        var run = Task.Run(() => Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard, cancellationToken: cancellation.Token));
        upstream.Push(StreamScript.Content(0, "Calm "));
        await guard.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        upstream.Push(StreamScript.Content(0, "seas "));
        await upstream.Idle.WaitAsync(Wait);
        await cancellation.CancelAsync();
        var transcript = await run.WaitAsync(Wait);

        Assert.Equal(StreamEndReason.Cancelled, transcript.End!.Reason);
        Assert.Equal(string.Empty, transcript.ContentOf(0));
        Assert.Equal(2, upstream.Read);
        Assert.True(upstream.ReadCancelled);
        Assert.True(upstream.Disposed);
        Assert.False(upstream.DisposedWhileReading);
        Assert.Equal(1, moderator.Counters.StreamsCancelled);
    }

    [Fact]
    public async Task ModerateAsync_BlockedWhileALookAheadReadWaits_CancelsItWithoutTheClientsToken()
    {
        var (guard, moderator, upstream) = Stepped();
        var run = Task.Run(() => Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard));
        upstream.Push(StreamScript.Content(0, "Calm seas "));
        await guard.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        upstream.Push(StreamScript.Content(0, "then crimson "), StreamScript.Content(0, "plinth "));
        await upstream.Idle.WaitAsync(Wait);
        guard.LetOneCheckAnswer();
        guard.LetOneCheckAnswer();
        var transcript = await run.WaitAsync(Wait);

        Assert.Equal(["Calm seas ", "Calm seas then crimson plinth "], guard.Assessed);
        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        Assert.Equal("Calm seas ", transcript.ContentOf(0));
        Assert.Equal(FinishReasons.ContentFilter, transcript.Finish[0]);
        Assert.True(upstream.ReadCancelled);
        Assert.True(upstream.Disposed);
        Assert.False(upstream.DisposedWhileReading);
    }

    [Fact]
    public async Task ModerateAsync_ConsumerStopsWhileALookAheadReadWaits_CancelsAndAwaitsItBeforeDisposing()
    {
        var (guard, moderator, upstream) = Stepped();

        var run = Task.Run(async () =>
        {
            await foreach (var e in moderator.ModerateAsync(upstream, StreamTestData.Context, TestPolicies.Sample(), CancellationToken.None))
            {
                return Assert.IsType<ModeratedChunk>(e);
            }

            return null;
        });
        upstream.Push(StreamScript.Content(0, "Calm seas "));
        await guard.Started.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await upstream.Idle.WaitAsync(Wait);
        guard.LetOneCheckAnswer();
        var first = await run.WaitAsync(Wait);

        Assert.Equal("Calm seas ", first!.Chunk.Choices[0].Delta!.Content);
        Assert.True(upstream.ReadCancelled);
        Assert.True(upstream.Disposed);
        Assert.False(upstream.DisposedWhileReading);
        Assert.Equal(1, moderator.Counters.StreamsCancelled);
    }

    [Fact]
    public async Task ModerateAsync_UpstreamThrowsDuringACheck_ReleasesTheVerifiedTextThenFails()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries) { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm "), StreamScript.Content(0, "seas "), StreamScript.Content(0, "today."), StreamScript.Completed]) { ThrowAt = 2 };

        var run = Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);
        await guard.CallStarted.Task.WaitAsync(Wait);
        guard.Hold.SetResult();
        var transcript = await run.WaitAsync(Wait);

        Assert.Equal(["Calm "], guard.Assessed);
        Assert.Equal(StreamEndReason.UpstreamFailed, transcript.End!.Reason);
        Assert.Equal(Results.GuardErrorCode.BackendUnavailable, transcript.End.Error!.Code);
        Assert.Equal("Calm ", transcript.ContentOf(0));
        Assert.Empty(transcript.Finish);
        Assert.True(upstream.Disposed);
    }

    /// <summary>A guard whose every check waits for the test, a moderator checking every delta, an upstream the test feeds.</summary>
    private static (CanaryClassifier Guard, StreamModerator Moderator, SteppedUpstream Upstream) Stepped()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries) { Turnstile = Channel.CreateUnbounded<bool>() };
        return (guard, new StreamModerator(new ModerationPipeline(guard), EveryDelta), new SteppedUpstream());
    }
}
