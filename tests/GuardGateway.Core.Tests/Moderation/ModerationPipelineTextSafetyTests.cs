using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.TextSafety;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Moderation;

/// <summary>The faithful + variant classification, stricter-wins rule, ill-formed text and long input.</summary>
public sealed class ModerationPipelineTextSafetyTests
{
    private static ModerationPipelineOptions Obfuscated => new() { Normalizer = new ReplacingNormalizer("x", "BAD") };

    private static Result<GuardClassification> UnsafeWhenBad(GuardClassificationRequest request) =>
        request.Messages[^1].Content.Contains("BAD", StringComparison.Ordinal) ? FakeGuardClassifier.Unsafe(0.9f, "S1") : FakeGuardClassifier.Safe(0.2f);

    [Fact]
    public async Task ModerateAsync_VariantStricter_VariantDecidesAndIsReported()
    {
        var classifier = new FakeGuardClassifier(UnsafeWhenBad);
        var pipeline = new ModerationPipeline(classifier, options: Obfuscated);

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "say x")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.Equal(2, classifier.Requests.Count);
        Assert.True(decision.TextSafety!.VariantClassified);
        Assert.True(decision.TextSafety.VariantDecided);
        Assert.Equal(1, decision.TextSafety.FoldedChars);
        Assert.Equal(1, pipeline.Counters.VariantDecided);
    }

    [Fact]
    public async Task ModerateAsync_FaithfulStricter_FaithfulDecides()
    {
        var classifier = new FakeGuardClassifier(r => r.Messages[^1].Content.Contains('x', StringComparison.Ordinal) ? FakeGuardClassifier.Unsafe(0.9f, "S1") : FakeGuardClassifier.Safe());
        var pipeline = new ModerationPipeline(classifier, options: Obfuscated);

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "say x")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.True(decision.TextSafety!.VariantClassified);
        Assert.False(decision.TextSafety.VariantDecided);
    }

    [Fact]
    public async Task ModerateAsync_SameAction_HigherProbabilityWins()
    {
        var classifier = new FakeGuardClassifier(r => FakeGuardClassifier.Safe(r.Messages[^1].Content.Contains("BAD", StringComparison.Ordinal) ? 0.3f : 0.1f));
        var pipeline = new ModerationPipeline(classifier, options: Obfuscated);

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "x")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Allow, decision.Action);
        Assert.Equal(0.3f, decision.UnsafeProbability);
        Assert.True(decision.TextSafety!.VariantDecided);
    }

    [Theory]
    [InlineData(FailMode.Closed, ModerationAction.Block)]
    [InlineData(FailMode.Open, ModerationAction.Allow)]
    public async Task ModerateAsync_VariantHasNoVerdict_FailModeDecides(FailMode mode, ModerationAction expected)
    {
        var classifier = new FakeGuardClassifier(r => r.Messages[^1].Content.Contains("BAD", StringComparison.Ordinal)
            ? new GuardError(GuardErrorCode.ClassifierFailure, "boom")
            : FakeGuardClassifier.Safe());
        var pipeline = new ModerationPipeline(classifier, options: Obfuscated);

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "x")], TestPolicies.Sample(mode), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(expected, decision.Action);
        Assert.Equal(GuardErrorCode.ClassifierFailure, decision.NoVerdict!.Code);
        Assert.Equal(mode == FailMode.Open, decision.FailedOpen);
    }

    [Fact]
    public async Task ModerateAsync_NormalizerChangesNothing_OneClassificationOnly()
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());
        var pipeline = new ModerationPipeline(classifier, options: Obfuscated);

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "plain")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Single(classifier.Requests);
        Assert.False(decision.TextSafety!.VariantClassified);
        Assert.False(decision.TextSafety.VariantDecided);
        Assert.Equal(0, pipeline.Counters.VariantClassifications);
    }

    [Fact]
    public async Task ModerateAsync_NeutralizerOnly_VariantClassifiedAndCounted()
    {
        var classifier = new FakeGuardClassifier(UnsafeWhenBad);
        var pipeline = new ModerationPipeline(classifier, options: new ModerationPipelineOptions { Neutralizer = new MarkerNeutralizer("<x>", "BAD") });

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "say <x>")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.True(decision.TextSafety!.VariantDecided);
        Assert.Equal(1, decision.TextSafety.DefusedPatterns);
        Assert.Equal(1, pipeline.Counters.DefusedPatterns);
    }

    [Fact]
    public async Task ModerateAsync_EveryMessageChanged_VariantStillClassified()
    {
        // Two changed messages after an unchanged one: "changed" must stay true (an xor would flip it back and drop the variant).
        var classifier = new FakeGuardClassifier(UnsafeWhenBad);
        var pipeline = new ModerationPipeline(classifier, options: new ModerationPipelineOptions { Normalizer = new StrippingNormalizer('\u200B'), Neutralizer = new MarkerNeutralizer("<x>", "BAD") });

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "ab"), new(ChatRole.Assistant, "c\u200B\u200Bd"), new(ChatRole.User, "<x>")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.Equal(2, decision.TextSafety!.StrippedChars);
        Assert.Equal(2, pipeline.Counters.StrippedChars);
        var variant = classifier.Requests.Single(r => r.Messages[^1].Content == "BAD");
        Assert.Equal(["ab", "cd", "BAD"], variant.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task ModerateAsync_BothCopies_ClassifiedConcurrently()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var classifier = new AwaitingClassifier(async ct =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.SetResult();
            }

            await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        });
        var pipeline = new ModerationPipeline(classifier, options: Obfuscated);

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, "x")], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Allow, decision.Action);
        Assert.Equal(2, started);
    }

    private static readonly string[] IllFormed = ["a\uD800b", "\uDC00", "end\uD83D", "\uDE00\uD83D"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ModerateAsync_UnpairedSurrogate_InvalidRequestWithoutClassifying(int sample)
    {
        // Built here: xunit's data serialization does not carry ill-formed UTF-16 faithfully.
        var content = IllFormed[sample];
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());
        var pipeline = new ModerationPipeline(classifier);

        var result = await pipeline.ModerateAsync([new(ChatRole.User, "ok"), new(ChatRole.Assistant, content)], TestPolicies.Sample(), ModerationDirection.Output, CancellationToken.None);

        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error!.Code);
        Assert.Contains("Message 1", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(classifier.Requests);
        Assert.Equal(1, pipeline.Counters.UnpairedSurrogateRejected);
    }

    [Fact]
    public async Task ModerateAsync_PromptTooLongUnderFailOpen_ErrorNeverAllow()
    {
        var classifier = new FakeGuardClassifier(_ => new GuardError(GuardErrorCode.PromptTooLong, "too long"));
        var pipeline = new ModerationPipeline(classifier);

        var result = await pipeline.ModerateAsync([new(ChatRole.User, "long")], TestPolicies.Sample(FailMode.Open), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(GuardErrorCode.PromptTooLong, result.Error!.Code);
        Assert.Equal(1, pipeline.Counters.LongInputRejected);
        Assert.Equal(0, pipeline.Counters.SilentTruncations);
    }

    [Fact]
    public async Task ModerateAsync_ChunkWithoutVerdict_FailModeDecidesAndStops()
    {
        var calls = 0;
        var classifier = new FakeGuardClassifier(r =>
        {
            Interlocked.Increment(ref calls);
            return r.Messages[^1].Content.Length > 100 ? new GuardError(GuardErrorCode.PromptTooLong, "too long") : new GuardError(GuardErrorCode.QueueFull, "full");
        });
        var pipeline = new ModerationPipeline(classifier, options: new ModerationPipelineOptions { MaxChunks = 10, ChunkCharacters = 100, ChunkOverlapCharacters = 10 });

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, new string('a', 500))], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.True(decision.FailedClosed);
        Assert.Equal(2, calls);
        Assert.Equal(1, decision.TextSafety!.Chunks);
    }

    [Theory]
    [InlineData(-1, 100, 10)]
    [InlineData(1, 1, 0)]
    [InlineData(1, 100, 50)]
    [InlineData(1, 100, -1)]
    public void Constructor_InvalidOptions_Throws(int maxChunks, int size, int overlap)
    {
        var options = new ModerationPipelineOptions { MaxChunks = maxChunks, ChunkCharacters = size, ChunkOverlapCharacters = overlap };

        Assert.Throws<ArgumentOutOfRangeException>(() => new ModerationPipeline(new FakeGuardClassifier(_ => FakeGuardClassifier.Safe()), options: options));
    }

    [Fact]
    public void IsStricter_Table_NoVerdictThenActionThenProbability()
    {
        var policy = TestPolicies.Sample();
        var allow = DecisionEvaluator.Evaluate(FakeGuardClassifier.Safe(0.1f), policy, ModerationDirection.Input);
        var allowHigher = DecisionEvaluator.Evaluate(FakeGuardClassifier.Safe(0.4f), policy, ModerationDirection.Input);
        var block = DecisionEvaluator.Evaluate(FakeGuardClassifier.Unsafe(0.9f, "S1"), policy, ModerationDirection.Input);
        var none = DecisionEvaluator.EvaluateFailure(new GuardError(GuardErrorCode.QueueFull, "full"), policy with { OnError = FailMode.Open }, ModerationDirection.Input, "m");

        Assert.True(ModerationPipeline.IsStricter(block, allow));
        Assert.False(ModerationPipeline.IsStricter(allow, block));
        Assert.True(ModerationPipeline.IsStricter(allowHigher, allow));
        Assert.False(ModerationPipeline.IsStricter(allow, allow));
        Assert.True(ModerationPipeline.IsStricter(none, block));
        Assert.False(ModerationPipeline.IsStricter(block, none));
    }

    /// <summary>Removes every occurrence of one char and counts them as stripped.</summary>
    private sealed class StrippingNormalizer(char strip) : ITextNormalizer
    {
        public NormalizedText Normalize(string text)
        {
            var result = text.Replace(strip.ToString(), string.Empty, StringComparison.Ordinal);
            return new NormalizedText(result, text.Length - result.Length, 0, 0) { Changed = result.Length != text.Length };
        }
    }

    /// <summary>Replaces a marker and counts each replacement as one defused pattern.</summary>
    private sealed class MarkerNeutralizer(string marker, string replacement) : IPromptNeutralizer
    {
        public NeutralizedText Neutralize(string content)
        {
            var result = content.Replace(marker, replacement, StringComparison.Ordinal);
            return new NeutralizedText(result, (content.Length - content.Replace(marker, string.Empty, StringComparison.Ordinal).Length) / marker.Length);
        }
    }

    /// <summary>A classifier that awaits a callback before answering safe.</summary>
    private sealed class AwaitingClassifier(Func<CancellationToken, Task> wait) : IGuardClassifier
    {
        public GuardModelInfo Model { get; } = new("awaiting", ["llama-guard-3-8b"], IsDemo: true);

        public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
        {
            await wait(cancellationToken);
            return FakeGuardClassifier.Safe();
        }
    }
}
