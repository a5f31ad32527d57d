using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.Streaming;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>RELIABILITY.md T2: no verdict while streaming follows the policy's fail mode; closed never releases unjudged text.</summary>
public sealed class FailClosedTests
{
    private const string Text = "The harbor is calm today. Boats drift slowly past old piers. Gulls circle above the lighthouse. The keeper waves.";

    private static readonly StreamModerationOptions SentenceChecks = new() { CheckIntervalChars = 0, CheckAtSentenceEnds = true, MinSentenceCheckChars = 1 };

    public static TheoryData<ClassifierFault, int> Faults()
    {
        var data = new TheoryData<ClassifierFault, int>();
        foreach (var fault in Enum.GetValues<ClassifierFault>())
        {
            foreach (var from in new[] { 1, 2, 4, 5 })
            {
                data.Add(fault, from);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ModerateAsync_NoVerdictUnderClosedPolicy_EndsContentFilterWithOnlyEarlierVerifiedText(ClassifierFault fault, int failFrom)
    {
        var guard = new CanaryClassifier([]) { FailFromCall = failFrom, Fault = fault };
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(FailMode.Closed), guard);

        var end = transcript.End!;
        Assert.Equal(StreamEndReason.Blocked, end.Reason);
        Assert.True(end.Decision!.FailedClosed);
        Assert.Equal(FinishReasons.ContentFilter, transcript.Finish[0]);
        Assert.Equal(failFrom, guard.Calls);
        var verifiedBefore = guard.SafeTexts.Count == 0 ? string.Empty : guard.SafeTexts[^1];
        Assert.StartsWith(transcript.ContentOf(0), verifiedBefore, StringComparison.Ordinal);
        Assert.True(transcript.ContentOf(0).Length < Text.Length);
        Assert.Equal(1, moderator.Counters.StreamsBlocked);
        Assert.Equal(0, moderator.Counters.ChecksFailedOpen);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task ModerateAsync_NoVerdictUnderOpenPolicy_ReleasesEverythingMarkedFailedOpen(ClassifierFault fault, int failFrom)
    {
        var guard = new CanaryClassifier([]) { FailFromCall = failFrom, Fault = fault };
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(FailMode.Open), guard: null);

        var end = transcript.End!;
        Assert.True(end.IsClean);
        Assert.True(end.Stats.FailedOpen);
        Assert.True(end.Decision!.FailedOpen);
        Assert.Equal(Text, transcript.ContentOf(0));
        Assert.Equal(FinishReasons.Stop, transcript.Finish[0]);
        Assert.True(moderator.Counters.ChecksFailedOpen >= 1);
    }

    [Fact]
    public async Task ModerateAsync_PipelineThrowsOutsideTheClassifier_FailsClosed()
    {
        var guard = new CanaryClassifier([]);
        var moderator = new StreamModerator(new ModerationPipeline(guard, new ThrowingLanguageDetector()), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(FailMode.Closed), guard);

        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        Assert.True(transcript.End.Decision!.FailedClosed);
        Assert.Equal("fail-closed: ClassifierFailure: Output moderation threw InvalidOperationException.", transcript.End.Decision.Reason);
        Assert.Equal(string.Empty, transcript.ContentOf(0));
    }

    [Fact]
    public async Task ModerateAsync_RedactDecision_BlocksBecauseReleasedTextCannotBeRedacted()
    {
        var guard = new CanaryClassifier(["piers"], unsafeCode: "S7");
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        Assert.Equal(ModerationAction.Redact, transcript.End.Decision!.Action);
        Assert.Equal("The harbor is calm today. ", transcript.ContentOf(0));
        Assert.Equal(FinishReasons.ContentFilter, transcript.Finish[0]);
    }

    [Fact]
    public async Task ModerateAsync_FlagDecision_ReleasesAndReportsTheFlag()
    {
        var guard = new CanaryClassifier(["piers"], unsafeCode: "S6") { UnsafeProbability = 0.8f };
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(), guard: null);

        Assert.True(transcript.End!.IsClean);
        Assert.True(transcript.End.Stats.Flagged);
        Assert.Equal(ModerationAction.Flag, transcript.End.Decision!.Action);
        Assert.Equal(Text, transcript.ContentOf(0));
    }

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
        // Checks before "piers" allow, the two that see it (calls 3 and 4) flag, every later call has no verdict and fails open.
        var guard = new CanaryClassifier(["piers"], unsafeCode: "S6") { UnsafeProbability = 0.8f, FailFromCall = 5, Fault = ClassifierFault.QueueFull };
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

    [Fact]
    public async Task ModerateAsync_FailOpenThenAllows_EndReportsTheFailOpen()
    {
        // Only call 2 has no verdict: the later allows must not hide that the stream was partly released unjudged.
        var calls = 0;
        var guard = new FakeGuardClassifier(_ => Interlocked.Increment(ref calls) == 2 ? new GuardError(GuardErrorCode.QueueFull, "full") : FakeGuardClassifier.Safe());
        var moderator = new StreamModerator(new ModerationPipeline(guard), SentenceChecks);

        var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(Script()), TestPolicies.Sample(FailMode.Open), guard: null);

        Assert.True(transcript.End!.IsClean);
        Assert.True(calls > 2);
        Assert.True(transcript.End.Decision!.FailedOpen);
        Assert.True(transcript.End.Stats.FailedOpen);
    }

    private static List<ChatStreamEvent> Script()
    {
        List<ChatStreamEvent> script = [StreamScript.Role(0)];
        script.AddRange(StreamScript.Split(Text, 5, 5).Select(p => StreamScript.Content(0, p)));
        script.Add(StreamScript.Finish(0, FinishReasons.Stop));
        script.Add(StreamScript.Completed);
        return script;
    }

    private sealed class ThrowingLanguageDetector : IUnsupportedLanguageDetector
    {
        public bool IsUnsupported(string text) => throw new InvalidOperationException("detector bug");
    }
}
