using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Results;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>Upstream failures and client cancellation never end a stream cleanly, and stop the upstream.</summary>
public sealed class UpstreamAndCancellationTests
{
    private static readonly StreamModerationOptions EveryDelta = new() { CheckIntervalChars = 0, CheckIntervalTokens = 1 };

    [Fact]
    public async Task ModerateAsync_UpstreamFailsMidStream_EndsWithErrorAndOnlyVerifiedText()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var failure = new GuardError(GuardErrorCode.BackendUnavailable, "upstream reset");
        var upstream = new FakeUpstream([StreamScript.Content(0, "The harbor "), StreamScript.Content(0, "is cal"), new ChatStreamFailed(failure), StreamScript.Completed]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.UpstreamFailed, transcript.End!.Reason);
        Assert.False(transcript.End.IsClean);
        Assert.Same(failure, transcript.End.Error);
        Assert.Empty(transcript.Finish);
        Assert.Equal("The harbor is ", transcript.ContentOf(0));
        Assert.Equal(1, moderator.Counters.StreamsFailed);
    }

    [Fact]
    public async Task ModerateAsync_UpstreamFailsAfterAChoiceFinished_NeverSendsItsFinishReason()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard));
        var upstream = new FakeUpstream([StreamScript.Content(0, "All calm.", FinishReasons.Stop), new ChatStreamFailed(new GuardError(GuardErrorCode.BackendTimeout, "idle"))]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.UpstreamFailed, transcript.End!.Reason);
        Assert.Empty(transcript.Finish);
        Assert.Equal("All calm.", transcript.ContentOf(0));
    }

    [Fact]
    public async Task ModerateAsync_UpstreamThrows_EndsAsUpstreamFailure()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm "), StreamScript.Content(0, "seas."), StreamScript.Completed]) { ThrowAt = 2 };

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.UpstreamFailed, transcript.End!.Reason);
        Assert.Equal(GuardErrorCode.BackendUnavailable, transcript.End.Error!.Code);
        Assert.Empty(transcript.Finish);
        Assert.True(upstream.Disposed);
    }

    [Fact]
    public async Task ModerateAsync_UpstreamEndsWithoutTerminalEvent_EndsAsUpstreamFailure()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard));
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm seas.", FinishReasons.Stop)]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.UpstreamFailed, transcript.End!.Reason);
        Assert.Equal(GuardErrorCode.BackendProtocolError, transcript.End.Error!.Code);
        Assert.Empty(transcript.Finish);
    }

    [Fact]
    public async Task ModerateAsync_Blocked_StopsReadingAndDisposesTheUpstream()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        List<ChatStreamEvent> script = [StreamScript.Content(0, "Then crimson plinth")];
        script.AddRange(Enumerable.Range(0, 50).Select(_ => StreamScript.Content(0, " and more")));
        script.Add(StreamScript.Completed);
        var upstream = new FakeUpstream(script);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        Assert.True(transcript.End.CancelUpstream);
        Assert.Equal(1, upstream.Read);
        Assert.True(upstream.Disposed);
        Assert.False(upstream.ReadToEnd);
        Assert.Equal(1, guard.Calls);
    }

    [Fact]
    public async Task ModerateAsync_ClientCancelsDuringCheck_StopsChecksAndCancelsUpstream()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries) { Hold = new TaskCompletionSource() };
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm "), StreamScript.Content(0, "seas."), StreamScript.Completed]);
        using var cancellation = new CancellationTokenSource();

        var run = Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard, cancellationToken: cancellation.Token);
        await guard.CallStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var transcript = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StreamEndReason.Cancelled, transcript.End!.Reason);
        Assert.True(transcript.End.CancelUpstream);
        Assert.Equal(string.Empty, transcript.ContentOf(0));
        Assert.Equal(1, guard.Calls);
        Assert.True(upstream.Disposed);

        // While the check ran, the look-ahead read what had arrived (here everything, up to the terminal event)
        // for the next check to cover; nothing of it was released.
        Assert.Equal(3, upstream.Read);
        Assert.Equal(1, moderator.Counters.StreamsCancelled);
    }

    [Fact]
    public async Task ModerateAsync_ClientCancelsWhileUpstreamStalls_CancelsTheUpstreamRead()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm "), StreamScript.Content(0, "seas."), StreamScript.Completed]) { StallAt = 1 };
        using var cancellation = new CancellationTokenSource();

        var run = Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard, cancellationToken: cancellation.Token);
        await guard.CallStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();
        var transcript = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(StreamEndReason.Cancelled, transcript.End!.Reason);
        Assert.True(upstream.SawCancellation);
        Assert.True(upstream.Disposed);
        Assert.Equal("Calm ", transcript.ContentOf(0));
        Assert.Empty(transcript.Finish);
    }

    [Fact]
    public async Task ModerateAsync_ConsumerStopsEarly_DisposesUpstreamAndCountsCancelled()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), EveryDelta);
        var upstream = new FakeUpstream([StreamScript.Content(0, "Calm "), StreamScript.Content(0, "seas "), StreamScript.Content(0, "today."), StreamScript.Completed]);

        await foreach (var e in moderator.ModerateAsync(upstream.Events(CancellationToken.None), StreamTestData.Context, TestPolicies.Sample(), CancellationToken.None))
        {
            Assert.IsType<ModeratedChunk>(e);
            break;
        }

        Assert.True(upstream.Disposed);
        Assert.False(upstream.ReadToEnd);
        Assert.Equal(1, moderator.Counters.StreamsCancelled);
    }
}
