using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.Streaming;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>What each check outcome does to a stream: errors end it unreleased, and which decision a clean end reports.</summary>
public sealed class StreamCheckOutcomeTests
{
    private const string Text = "The harbor is calm today. Boats drift slowly past old piers. Gulls circle above the lighthouse. The keeper waves.";

    private static readonly StreamModerationOptions SentenceChecks = new() { CheckIntervalChars = 0, CheckAtSentenceEnds = true, MinSentenceCheckChars = 1 };

    [Theory]
    [InlineData(FailMode.Closed)]
    [InlineData(FailMode.Open)]
    public async Task ModerateAsync_GuardRefusesTheText_EndsInvalidContextWithNothingReleased(FailMode mode)
    {
        // Too long for the guard with chunking off: not a fail-mode matter, so never released even under fail-open.
        var guard = new FakeGuardClassifier(_ => new GuardError(GuardErrorCode.PromptTooLong, "too long"));
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(mode), guard: null);

        Assert.Equal(StreamEndReason.InvalidContext, transcript.End!.Reason);
        Assert.Equal(GuardErrorCode.PromptTooLong, transcript.End.Error!.Code);
        Assert.Equal(string.Empty, transcript.ContentOf(0));
        Assert.Single(guard.Requests);
    }

    [Fact]
    public async Task ModerateAsync_AllChecksAllow_CleanEndNotFlaggedNorFailedOpen()
    {
        var guard = new CanaryClassifier([]);
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(), guard);

        Assert.True(transcript.End!.IsClean);
        Assert.False(transcript.End.Stats.Flagged);
        Assert.False(transcript.End.Stats.FailedOpen);
        Assert.Equal(ModerationAction.Allow, transcript.End.Decision!.Action);
        Assert.Null(transcript.End.Decision.NoVerdict);
    }

    [Fact]
    public async Task ModerateAsync_FlagThenFailOpen_EndReportsTheFlag()
    {
        // Checks before "piers" allow, the one that first sees it (call 3) flags, every later call has no verdict and fails open.
        var guard = new CanaryClassifier(["piers"], unsafeCode: "S6") { UnsafeProbability = 0.8f, FailFromCall = 4, Fault = ClassifierFault.QueueFull };
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(FailMode.Open), guard: null);

        Assert.True(transcript.End!.IsClean);
        Assert.True(transcript.End.Stats.FailedOpen);
        Assert.True(transcript.End.Stats.FailedOpen);
        Assert.Equal(ModerationAction.Flag, transcript.End.Decision!.Action);
        Assert.Null(transcript.End.Decision.NoVerdict);
        Assert.Equal(Text, transcript.ContentOf(0));
    }

    [Fact]
    public async Task ModerateAsync_AllowThenFailOpen_EndReportsTheFailOpen()
    {
        var guard = new CanaryClassifier([]) { FailFromCall = 2, Fault = ClassifierFault.QueueFull };
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(FailMode.Open), guard: null);

        Assert.True(transcript.End!.IsClean);
        Assert.False(transcript.End.Stats.Flagged);
        Assert.True(transcript.End.Decision!.FailedOpen);
    }

    private static List<ChatStreamEvent> Script()
    {
        List<ChatStreamEvent> script = [StreamScript.Role(0)];
        script.AddRange(StreamScript.Split(Text, 5, 5).Select(p => StreamScript.Content(0, p)));
        script.Add(StreamScript.Finish(0, FinishReasons.Stop));
        script.Add(StreamScript.Completed);
        return script;
    }
}
