using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.TextSafety.Languages;
using GuardGateway.TextSafety.Tests.Fakes;

namespace GuardGateway.TextSafety.Tests;

/// <summary>The detector behind the pipeline's unsupported_language rule (T24's CPU part).</summary>
public sealed class LanguagePipelineTests
{
    public static TheoryData<string, UnsupportedLanguageAction, ModerationAction, bool> Cases => new()
    {
        { "我想知道怎么在家里做饭，做得又快又好吃。", UnsupportedLanguageAction.Block, ModerationAction.Block, true },
        { "我想知道怎么在家里做饭，做得又快又好吃。", UnsupportedLanguageAction.Flag, ModerationAction.Flag, true },
        { "我想知道怎么在家里做饭，做得又快又好吃。", UnsupportedLanguageAction.Allow, ModerationAction.Allow, true },
        { "Ik wil graag weten hoe ik een fiets kan repareren, want de ketting is niet meer goed.", UnsupportedLanguageAction.Block, ModerationAction.Block, true },
        { "Quiero saber cómo se hace una paella para la cena de esta noche, pero no tengo arroz.", UnsupportedLanguageAction.Block, ModerationAction.Allow, false },
        { "ok", UnsupportedLanguageAction.Block, ModerationAction.Allow, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ModerateAsync_DetectedLanguage_PolicyRuleApplied(string text, UnsupportedLanguageAction rule, ModerationAction expected, bool unsupported)
    {
        var classifier = new KeywordGuardClassifier(["never-present"]);
        var pipeline = new ModerationPipeline(classifier, new ScriptLanguageDetector());
        var policy = TestPolicy.Create() with { UnsupportedLanguage = rule };

        var decision = (await pipeline.ModerateAsync([new ChatMessage(ChatRole.User, text)], policy, ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(expected, decision.Action);
        Assert.Equal(unsupported, decision.UnsupportedLanguage);
        Assert.Equal(unsupported ? 1 : 0, pipeline.Counters.UnsupportedLanguage);
    }
}
