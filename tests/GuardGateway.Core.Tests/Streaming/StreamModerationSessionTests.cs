using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Results;
using GuardGateway.Core.Streaming;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>The push API: check points, release boundaries, latency figures and lifecycle.</summary>
public sealed class StreamModerationSessionTests
{
    [Fact]
    public async Task ProcessAsync_CharacterInterval_ChecksEveryIntervalAndAtTheEnd()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, new StreamModerationOptions { CheckIntervalChars = 10, CheckAtSentenceEnds = false });

        foreach (var c in "abcdefghijklmnopqrstuvwxyz0123456789")
        {
            await session.ProcessAsync(StreamScript.Content(0, c.ToString()), CancellationToken.None);
        }

        await session.ProcessAsync(StreamScript.Completed, CancellationToken.None);

        Assert.Equal([10, 20, 30, 36], guard.Assessed.Select(a => a.Length));
        Assert.Equal(StreamEndReason.Completed, session.End!.Reason);
        Assert.Equal(4, session.End.Stats.ChecksRun);
    }

    [Fact]
    public async Task ProcessAsync_TokenInterval_ChecksEveryNDeltas()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, new StreamModerationOptions { CheckIntervalChars = 0, CheckIntervalTokens = 3, CheckAtSentenceEnds = false });

        foreach (var piece in new[] { "a", "b", "c", "d", "e", "f", "g" })
        {
            await session.ProcessAsync(StreamScript.Content(0, piece), CancellationToken.None);
        }

        await session.ProcessAsync(StreamScript.Completed, CancellationToken.None);

        Assert.Equal(["abc", "abcdef", "abcdefg"], guard.Assessed);
    }

    [Fact]
    public async Task ProcessAsync_SentenceEnds_CheckAndReleaseWholeSentences()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, new StreamModerationOptions { CheckIntervalChars = 0, MinSentenceCheckChars = 5 });

        var first = await session.ProcessAsync(StreamScript.Content(0, "Calm seas"), CancellationToken.None);
        var second = await session.ProcessAsync(StreamScript.Content(0, " today."), CancellationToken.None);
        var third = await session.ProcessAsync(StreamScript.Content(0, " Ok."), CancellationToken.None);
        var fourth = await session.ProcessAsync(StreamScript.Content(0, " Then a longer line\n"), CancellationToken.None);

        Assert.Empty(first);
        Assert.Equal("Calm seas today.", ContentOf(second));
        Assert.Empty(third);
        Assert.Equal(" Ok. Then a longer line\n", ContentOf(fourth));
        Assert.Equal(["Calm seas today.", "Calm seas today. Ok. Then a longer line\n"], guard.Assessed);
    }

    [Fact]
    public async Task ProcessAsync_CheckPointInsideAWord_HoldsThePartialWordUntilALaterCheck()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, new StreamModerationOptions { CheckIntervalChars = 0, CheckIntervalTokens = 1, CheckAtSentenceEnds = false });

        var first = await session.ProcessAsync(StreamScript.Content(0, "Hello wor"), CancellationToken.None);
        var second = await session.ProcessAsync(StreamScript.Content(0, "ld again"), CancellationToken.None);
        var last = await session.ProcessAsync(StreamScript.Completed, CancellationToken.None);

        Assert.Equal("Hello ", ContentOf(first));
        Assert.Equal("world ", ContentOf(second));
        Assert.Equal("again", ContentOf(last));
        Assert.True(session.End!.IsClean);
    }

    [Fact]
    public async Task ProcessAsync_SeveralEventsAsOneStep_ChecksOnceAfterBufferingAll()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, new StreamModerationOptions { CheckIntervalChars = 0, CheckIntervalTokens = 1, CheckAtSentenceEnds = false });

        var first = await session.ProcessAsync([StreamScript.Content(0, "Calm "), StreamScript.Content(0, "seas "), StreamScript.Content(0, "to")], CancellationToken.None);
        var last = await session.ProcessAsync([StreamScript.Content(0, "day.", FinishReasons.Stop), StreamScript.Completed], CancellationToken.None);

        Assert.Equal(["Calm seas to", "Calm seas today."], guard.Assessed);
        Assert.Equal("Calm seas ", ContentOf(first));
        Assert.Equal("today.", ContentOf(last));
        Assert.True(session.End!.IsClean);
    }

    [Fact]
    public async Task ProcessAsync_TerminalEventBeforeTheLastOrNoEvent_IsRejected()
    {
        var session = Start(new CanaryClassifier([]), StreamModerationOptions.Default);

        await Assert.ThrowsAsync<ArgumentException>(async () => await session.ProcessAsync([StreamScript.Completed, StreamScript.Content(0, "late")], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await session.ProcessAsync([], CancellationToken.None));
        Assert.False(session.IsEnded);
    }

    [Fact]
    public async Task ProcessAsync_SurrogatePairSplitAcrossDeltas_IsNeverReleasedHalf()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, new StreamModerationOptions { CheckIntervalChars = 0, CheckIntervalTokens = 1, MaxHeldWordChars = 0 });
        const string Emoji = "😀";

        var first = await session.ProcessAsync(StreamScript.Content(0, "ok " + Emoji[0]), CancellationToken.None);
        var second = await session.ProcessAsync(StreamScript.Content(0, Emoji[1] + "!"), CancellationToken.None);

        Assert.Equal("ok ", ContentOf(first));
        Assert.Equal(Emoji + "!", ContentOf(second));
    }

    [Fact]
    public async Task ProcessAsync_FakeClock_ReportsAddedTimeToFirstReleaseAndGuardTime()
    {
        var clock = new FakeTimeProvider();
        var guard = new CanaryClassifier([]) { Clock = clock, Latency = TimeSpan.FromMilliseconds(25) };
        var moderator = new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalChars = 0, MinSentenceCheckChars = 1 }, clock);
        var session = moderator.Start(StreamTestData.Context, TestPolicies.Sample()).GetValueOrThrow();

        await session.ProcessAsync(StreamScript.Role(0), CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await session.ProcessAsync(StreamScript.Content(0, "Calm"), CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        await session.ProcessAsync(StreamScript.Content(0, " seas."), CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        await session.ProcessAsync(StreamScript.Content(0, " More", FinishReasons.Stop), CancellationToken.None);
        await session.ProcessAsync(StreamScript.Completed, CancellationToken.None);

        var stats = session.End!.Stats;
        Assert.Equal(TimeSpan.FromMilliseconds(35), stats.FirstReleaseDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(50), stats.GuardTime);
        Assert.Equal(2, stats.ChecksRun);
        Assert.Equal(15, stats.CharsReleased);
        Assert.Equal(15, stats.CharsReceived);
    }

    [Fact]
    public async Task ProcessAsync_HeldText_IsReportedAsMaxCharsHeldAndAsAGauge()
    {
        var guard = new CanaryClassifier([]);
        var moderator = new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalChars = 12, CheckAtSentenceEnds = false, MaxHeldWordChars = 0 });
        var session = moderator.Start(StreamTestData.Context, TestPolicies.Sample()).GetValueOrThrow();

        await session.ProcessAsync(StreamScript.Content(0, "abcde"), CancellationToken.None);
        await session.ProcessAsync(StreamScript.Content(0, "fghij"), CancellationToken.None);
        var heldBeforeCheck = moderator.Counters.CharsHeld;
        await session.ProcessAsync(StreamScript.Content(0, "klmno"), CancellationToken.None);
        var heldAfterCheck = moderator.Counters.CharsHeld;
        await session.ProcessAsync(StreamScript.Content(0, "pq"), CancellationToken.None);
        await session.ProcessAsync(StreamScript.Completed, CancellationToken.None);

        Assert.Equal(10, heldBeforeCheck);
        Assert.Equal(0, heldAfterCheck);
        Assert.Equal(0, moderator.Counters.CharsHeld);
        Assert.Equal(15, session.End!.Stats.MaxCharsHeld);
        Assert.Equal(17, session.End.Stats.CharsReleased);
    }

    [Fact]
    public async Task ProcessAsync_AfterTheEnd_Throws()
    {
        var session = Start(new CanaryClassifier([]), StreamModerationOptions.Default);
        await session.ProcessAsync(StreamScript.Completed, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await session.ProcessAsync(StreamScript.Completed, CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_CancelledToken_EndsCancelledWithoutACheck()
    {
        var guard = new CanaryClassifier([]);
        var session = Start(guard, StreamModerationOptions.Default);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var events = await session.ProcessAsync(StreamScript.Content(0, "Calm seas.", FinishReasons.Stop), cancellation.Token);

        var end = Assert.IsType<ModeratedStreamEnd>(Assert.Single(events));
        Assert.Equal(StreamEndReason.Cancelled, end.Reason);
        Assert.Equal(0, guard.Calls);
    }

    [Fact]
    public async Task Cancel_Twice_ReturnsTheSameEndAndLaterProcessingThrows()
    {
        var session = Start(new CanaryClassifier([]), StreamModerationOptions.Default);
        await session.ProcessAsync(StreamScript.Content(0, "Calm"), CancellationToken.None);

        var first = session.Cancel();
        var second = session.Cancel();

        Assert.Same(first, second);
        Assert.Equal(StreamEndReason.Cancelled, first.Reason);
        Assert.Equal(4, first.Stats.CharsReceived);
        Assert.Equal(0, first.Stats.CharsReleased);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await session.ProcessAsync(StreamScript.Completed, CancellationToken.None));
    }

    [Fact]
    public async Task Cancel_FromAnotherThreadDuringACheck_ProcessingReturnsNothingMore()
    {
        var guard = new CanaryClassifier([]) { Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var session = Start(guard, new StreamModerationOptions { CheckIntervalTokens = 1 });

        var processing = session.ProcessAsync(StreamScript.Content(0, "Calm seas.", FinishReasons.Stop), CancellationToken.None).AsTask();
        await guard.CallStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var end = session.Cancel();
        guard.Hold.SetResult();
        var events = await processing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(events);
        Assert.Equal(StreamEndReason.Cancelled, end.Reason);
        Assert.Same(end, session.End);
        Assert.Equal(0, end.Stats.CharsReleased);
    }

    [Fact]
    public async Task Start_InvalidContext_IsRejectedAndModerateAsyncReadsNothing()
    {
        var guard = new CanaryClassifier([]);
        var moderator = new StreamModerator(new ModerationPipeline(guard));
        ChatMessage[] context = [new(ChatRole.Assistant, "I start."), new(ChatRole.User, "Odd.")];
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm."), StreamScript.Completed]);

        var started = moderator.Start(context, TestPolicies.Sample());
        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard, context);

        Assert.Equal(GuardErrorCode.InvalidRequest, started.Error!.Code);
        Assert.Equal(StreamEndReason.InvalidContext, transcript.End!.Reason);
        Assert.False(transcript.End.IsClean);
        Assert.Equal(0, upstream.Read);
        Assert.Equal(0, guard.Calls);
    }

    [Fact]
    public async Task Counters_AfterCompletedAndBlockedStreams_AddUp()
    {
        var guard = new CanaryClassifier(["plinth"]);
        var moderator = new StreamModerator(new ModerationPipeline(guard));

        await Transcript.RunAsync(moderator, new FakeUpstream([StreamScript.Content(0, "Calm seas.", FinishReasons.Stop), StreamScript.Completed]), TestPolicies.Sample());
        await Transcript.RunAsync(moderator, new FakeUpstream([StreamScript.Content(0, "A plinth.", FinishReasons.Stop), StreamScript.Completed]), TestPolicies.Sample());

        var counters = moderator.Counters;
        Assert.Equal(2, counters.StreamsStarted);
        Assert.Equal(1, counters.StreamsCompleted);
        Assert.Equal(1, counters.StreamsBlocked);
        Assert.Equal(2, counters.ChecksRun);
        Assert.Equal(19, counters.CharsReceived);
        Assert.Equal(10, counters.CharsReleased);
        Assert.Equal(9, counters.CharsWithheld);
    }

    [Fact]
    public void Options_Negative_AreRejected()
    {
        var guard = new CanaryClassifier([]);

        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalChars = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { MaxHeldWordChars = -1 }));
    }

    private static StreamModerationSession Start(CanaryClassifier guard, StreamModerationOptions options) =>
        new StreamModerator(new ModerationPipeline(guard), options).Start(StreamTestData.Context, TestPolicies.Sample()).GetValueOrThrow();

    private static string ContentOf(IReadOnlyList<ModeratedStreamEvent> events) =>
        string.Concat(events.OfType<ModeratedChunk>().SelectMany(c => c.Chunk.Choices).Select(c => c.Delta?.Content ?? c.Text ?? string.Empty));
}
