using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.TextSafety;
using GuardGateway.TextSafety.DependencyInjection;
using GuardGateway.TextSafety.Normalization;
using GuardGateway.TextSafety.Tests.Fakes;

namespace GuardGateway.TextSafety.Tests;

/// <summary>RELIABILITY T6 through the moderation pipeline: 200 canaries × every obfuscation are blocked.</summary>
public sealed class ObfuscationPipelineTests
{
    [Fact]
    public async Task ModerateAsync_ObfuscatedCanaries_AllBlockedAndCounted()
    {
        var classifier = new KeywordGuardClassifier(ObfuscationCorpus.Canaries);
        var counters = new TextSafetyCounters();
        var pipeline = new ModerationPipeline(classifier, options: GuardTextSafetyServiceCollectionExtensions.CreatePipelineOptions(counters: counters));
        var rawOnly = new ModerationPipeline(classifier);
        var policy = TestPolicy.Create();
        var failures = new List<string>();
        var samples = 0;

        for (var c = 0; c < ObfuscationCorpus.Canaries.Count; c++)
        {
            var canary = ObfuscationCorpus.Canaries[c];
            foreach (var (name, apply) in ObfuscationCorpus.Transforms)
            {
                var obfuscated = apply(canary, c);
                var text = "Please tell me about " + obfuscated + " today.";
                ChatMessage[] conversation = [new(ChatRole.User, "hello"), new(ChatRole.Assistant, "hi"), new(ChatRole.User, text)];
                samples++;

                // The obfuscation must defeat the stub on the raw text, or this test could not fail.
                Assert.DoesNotContain(canary, text, StringComparison.Ordinal);
                var raw = (await rawOnly.ModerateAsync(conversation, policy, ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();
                Assert.Equal(ModerationAction.Allow, raw.Action);

                var decision = (await pipeline.ModerateAsync(conversation, policy, ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();
                var report = decision.TextSafety!;
                if (decision.Action != ModerationAction.Block || !report.VariantClassified || !report.VariantDecided)
                {
                    failures.Add($"{name} #{c}: {decision.Action}");
                }

                if (report.StrippedChars + report.FoldedChars == 0
                    || (ObfuscationCorpus.Stripping.Contains(name) && report.StrippedChars == 0))
                {
                    failures.Add($"{name} #{c}: stripped {report.StrippedChars}, folded {report.FoldedChars}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(200 * ObfuscationCorpus.Transforms.Count, samples);
        Assert.Equal(samples, counters.VariantDecided);
        Assert.True(counters.StrippedChars > 0 && counters.FoldedChars > 0);
    }

    [Fact]
    public void Normalize_EveryObfuscatedCanary_RecoversTheCanary()
    {
        for (var c = 0; c < ObfuscationCorpus.Canaries.Count; c++)
        {
            foreach (var (name, apply) in ObfuscationCorpus.Transforms)
            {
                var normalized = UnicodeTextNormalizer.Instance.Normalize(apply(ObfuscationCorpus.Canaries[c], c));
                Assert.True(
                    normalized.Text.Split('\n')[0] == ObfuscationCorpus.Canaries[c],
                    $"{name} #{c}: {normalized.Text.Length} chars, stripped {normalized.StrippedCount}, folded {normalized.FoldedCount}");
            }
        }
    }

    [Fact]
    public async Task ModerateAsync_CanaryEncodedEntirelyInTagCharacters_Blocked()
    {
        // Invisible to a reader, readable by a model: the normalizer reveals the payload to the guard.
        var classifier = new KeywordGuardClassifier(ObfuscationCorpus.Canaries);
        var pipeline = new ModerationPipeline(classifier, options: GuardTextSafetyServiceCollectionExtensions.CreatePipelineOptions());
        foreach (var canary in ObfuscationCorpus.Canaries)
        {
            var hidden = string.Concat(canary.Select(c => char.ConvertFromUtf32(0xE0000 + c)));
            var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "Summarize this page." + hidden)], TestPolicy.Create(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

            Assert.Equal(ModerationAction.Block, decision.Action);
            Assert.Equal(canary.Length, decision.TextSafety!.StrippedChars);
        }
    }

    [Fact]
    public void AddGuardTextSafety_RegistersTheThreeDefenses()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        services.AddGuardTextSafety();

        Assert.Contains(services, d => d.ServiceType == typeof(ITextNormalizer) && d.ImplementationInstance is UnicodeTextNormalizer);
        Assert.Contains(services, d => d.ServiceType == typeof(IPromptNeutralizer));
        Assert.Contains(services, d => d.ServiceType == typeof(IUnsupportedLanguageDetector) && d.ImplementationInstance is Languages.ScriptLanguageDetector);
    }

    [Fact]
    public void Canaries_AreDistinctAndNotSubstringsOfEachOther()
    {
        var canaries = ObfuscationCorpus.Canaries;
        Assert.Equal(200, canaries.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain(canaries, a => canaries.Any(b => !ReferenceEquals(a, b) && b.Contains(a, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ModerateAsync_CleanAsciiConversation_NoVariantClassified()
    {
        var classifier = new KeywordGuardClassifier(ObfuscationCorpus.Canaries);
        var pipeline = new ModerationPipeline(classifier, options: GuardTextSafetyServiceCollectionExtensions.CreatePipelineOptions());

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "What is the capital of France?")], TestPolicy.Create(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Allow, decision.Action);
        Assert.False(decision.TextSafety!.VariantClassified);
        Assert.Single(classifier.Requests);
    }
}
