using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>Choices of an n &gt; 1 stream are judged separately; a block ends the whole stream.</summary>
public sealed class MultiChoiceTests
{
    [Fact]
    public async Task ModerateAsync_SecondChoiceBlockedAfterFirstFinished_FirstKeepsItsFinishSecondGetsContentFilter()
    {
        var guard = new CanaryClassifier(["crimson plinth"]);
        var moderator = new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalTokens = 1 });
        var upstream = new FakeUpstream(
        [
            StreamScript.Content(0, "Calm seas."),
            StreamScript.Content(1, "A crimson "),
            StreamScript.Content(0, " Fine day.", FinishReasons.Stop),
            StreamScript.Content(1, "plinth rises."),
            StreamScript.Finish(1, FinishReasons.Stop),
            StreamScript.Completed,
        ]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        Assert.Equal(1, transcript.End.BlockedChoiceIndex);
        Assert.Equal("Calm seas. Fine day.", transcript.ContentOf(0));
        Assert.Equal(FinishReasons.Stop, transcript.Finish[0]);
        Assert.Equal("A crimson ", transcript.ContentOf(1));
        Assert.Equal(FinishReasons.ContentFilter, transcript.Finish[1]);
        Assert.DoesNotContain(guard.Assessed, a => a.Contains("Calm", StringComparison.Ordinal) && a.Contains("crimson", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModerateAsync_CanaryInSecondToolCall_BlocksAndReleasesNoneOfIt()
    {
        var guard = new CanaryClassifier(["crimson plinth"]);
        var moderator = new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalTokens = 1 });
        var upstream = new FakeUpstream(
        [
            StreamScript.Tool(0, 0, "call_a", "weather", "{\"city\": \"Oslo\"}"),
            StreamScript.Tool(0, 1, "call_b", "note", "{\"text\": \"a crimson"),
            StreamScript.Tool(0, 1, null, null, " plinth\"}"),
            StreamScript.Finish(0, FinishReasons.ToolCalls),
            StreamScript.Completed,
        ]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        // The last word of each call is held until a later check or the final one, which never passed.
        Assert.Equal("{\"city\": ", transcript.ArgumentsOf(0, 0));
        Assert.Equal("{\"text\": \"a ", transcript.ArgumentsOf(0, 1));
        Assert.Equal(FinishReasons.ContentFilter, transcript.Finish[0]);
    }
}
