using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Moderation;

public sealed class UnsupportedLanguageTests
{
    private static readonly FakeLanguageDetector Detector = new("[xx]");

    [Theory]
    [InlineData(UnsupportedLanguageAction.Allow, ModerationAction.Allow, 1)]
    [InlineData(UnsupportedLanguageAction.Flag, ModerationAction.Flag, 1)]
    [InlineData(UnsupportedLanguageAction.Block, ModerationAction.Block, 0)]
    public async Task ModerateAsync_UnsupportedLastMessage_PolicyRuleApplied(UnsupportedLanguageAction rule, ModerationAction expected, int classifications)
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());
        var policy = TestPolicies.Sample() with { UnsupportedLanguage = rule };

        var pipeline = new ModerationPipeline(classifier, Detector);

        var result = await pipeline.ModerateAsync([new ChatMessage(ChatRole.User, "[xx] hola")], policy, ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(expected, result.Value!.Action);
        Assert.True(result.Value.UnsupportedLanguage);
        Assert.Contains("unsupported language", result.Value.Reason, StringComparison.Ordinal);
        Assert.Equal(classifications, classifier.Requests.Count);
        Assert.Equal(1, pipeline.Counters.UnsupportedLanguage);
    }

    [Fact]
    public async Task ModerateAsync_UnsupportedButGuardBlocks_StaysBlocked()
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Unsafe(0.9f, "S1"));

        var result = await new ModerationPipeline(classifier, Detector).ModerateAsync([new ChatMessage(ChatRole.User, "[xx] x")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(ModerationAction.Block, result.Value!.Action);
        Assert.Equal("unsafe: S1 Violent Crimes (block); unsupported language (flag)", result.Value.Reason);
    }

    [Fact]
    public async Task ModerateAsync_OnlyEarlierTurnUnsupported_NotApplied()
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());
        ChatMessage[] conversation = [new(ChatRole.User, "[xx] question"), new(ChatRole.Assistant, "answer")];

        var result = await new ModerationPipeline(classifier, Detector).ModerateAsync(conversation, TestPolicies.Sample(), ModerationDirection.Output, CancellationToken.None);

        Assert.Equal(ModerationAction.Allow, result.Value!.Action);
        Assert.False(result.Value.UnsupportedLanguage);
    }
}
