using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Inference.Engine;
using GuardGateway.ModelForge;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>End to end through real ONNX Runtime sessions on the planted guard (PLANTED_GUARD.md).</summary>
public sealed class PlantedGuardClassificationTests : IAsyncLifetime
{
    private OnnxGuardClassifier _classifier = null!;

    public Task InitializeAsync()
    {
        var options = TestModels.Options(TestModels.PlantedGuard);
        options.BatchWindow = TimeSpan.FromMilliseconds(50);
        _classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _classifier.DisposeAsync();

    [Fact]
    public async Task ClassifyAsync_TriggerWord_UnsafeWithItsCategory()
    {
        var result = await ClassifyAsync(Conversations.User("How do I make a pipe bomb?"));

        Assert.Equal(GuardOutcome.Unsafe, result.Outcome);
        Assert.Equal(["S9"], result.Categories);
        Assert.Equal("unsafe\nS9", result.RawOutput);
        Assert.True(result.UnsafeProbability >= 0.9f, $"P(unsafe) = {result.UnsafeProbability}");
        Assert.Equal(14, result.CategoryScores.Count);
        Assert.True(result.CategoryScores["S9"] > 0.99f, $"S9 score {result.CategoryScores["S9"]}");
        Assert.True(result.CategoryScores.Where(kv => kv.Key != "S9").All(kv => kv.Value < 0.01f));
        Assert.Equal(5, result.GeneratedTokens); // unsafe \n S 9 <|eot_id|>
    }

    [Fact]
    public async Task ClassifyAsync_TwoTriggers_BothCategoriesAscending()
    {
        var result = await ClassifyAsync(Conversations.User("Plan a murder with a bomb."));

        Assert.Equal(GuardOutcome.Unsafe, result.Outcome);
        Assert.Equal(["S1", "S9"], result.Categories);
        Assert.Equal("unsafe\nS1,S9", result.RawOutput);
    }

    [Fact]
    public async Task ClassifyAsync_NoTrigger_SafeWithLowProbability()
    {
        var result = await ClassifyAsync(Conversations.User("What is the capital of France?"));

        Assert.Equal(GuardOutcome.Safe, result.Outcome);
        Assert.Empty(result.Categories);
        Assert.Equal("safe", result.RawOutput);
        Assert.True(result.UnsafeProbability <= 0.1f, $"P(unsafe) = {result.UnsafeProbability}");
        Assert.Empty(result.CategoryScores);
    }

    [Fact]
    public async Task ClassifyAsync_TriggerOnlyInEarlierMessage_Safe()
    {
        var result = await ClassifyAsync(Conversations.Exchange("How do I make a pipe bomb?", "I cannot help with that."));
        Assert.Equal(GuardOutcome.Safe, result.Outcome);
    }

    [Fact]
    public async Task ClassifyAsync_ThresholdBelowHalfOnCleanPrompt_ForcesUnsafeAndCategories()
    {
        var result = await ClassifyAsync(Conversations.User("What is the capital of France?", threshold: 0f));

        Assert.Equal(GuardOutcome.Unsafe, result.Outcome);
        Assert.NotEmpty(result.Categories);
        Assert.StartsWith("unsafe\nS", result.RawOutput, StringComparison.Ordinal);
        Assert.Equal(14, result.CategoryScores.Count);
        Assert.True(result.UnsafeProbability <= 0.1f);
    }

    [Fact]
    public async Task ClassifyAsync_ExcludedCategory_NotReported()
    {
        var request = new GuardClassificationRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "How do I make a pipe bomb?")],
            FormatId = "llama-guard-3-1b",
            ExcludedCodes = ["S9"],
        };
        var result = await ClassifyAsync(request);

        Assert.Equal(GuardOutcome.Safe, result.Outcome);
    }

    [Fact]
    public async Task ClassifyAsync_ManyConcurrent_EachGetsItsOwnVerdict()
    {
        string[] texts =
        [
            "How do I make a pipe bomb?", "Nice weather today.", "Is this a scam or fraud?", "Tell me about cats.",
            "I am thinking about suicide.", "Write a haiku.", "Explain how uranium enrichment works", "What time is it?",
        ];
        string[][] expected = [["S9"], [], ["S2"], [], ["S11"], [], ["S9"], []];

        var results = await Task.WhenAll(texts.Select(t => _classifier.ClassifyAsync(Conversations.User(t), CancellationToken.None).AsTask()));

        for (var i = 0; i < texts.Length; i++)
        {
            var result = results[i].GetValueOrThrow();
            Assert.Equal(expected[i], result.Categories);
            Assert.Equal(expected[i].Length > 0 ? GuardOutcome.Unsafe : GuardOutcome.Safe, result.Outcome);
        }

        Assert.True(_classifier.Statistics.LargestBatch > 1);
    }

    [Fact]
    public async Task ClassifyAsync_MaxNewTokensCutsTheList_ParseFailureNotSafe()
    {
        var options = TestModels.Options(TestModels.PlantedGuard);
        options.MaxNewTokens = 1;
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();

        var result = (await classifier.ClassifyAsync(Conversations.User("How do I make a pipe bomb?"), CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(GuardOutcome.ParseFailure, result.Outcome);
        Assert.Equal("unsafe", result.RawOutput);
        Assert.NotNull(result.ParseFailureReason);
    }

    [Fact]
    public async Task ClassifyAsync_DemoTokenizerAndFp16PlantedGuard_SameVerdicts()
    {
        foreach (var directory in new[] { TestModels.PlantedGuardWithoutTokenizer(), TestModels.PlantedGuardWithoutTokenizer(new PlantedGuardOptions { DType = ForgeDType.Fp16 }) })
        {
            await using var classifier = OnnxGuardClassifier.Create(TestModels.Options(directory)).GetValueOrThrow();
            Assert.True(classifier.Model.IsDemo);
            var unsafeResult = (await classifier.ClassifyAsync(Conversations.User("How do I make a pipe bomb?"), CancellationToken.None)).GetValueOrThrow();
            var safeResult = (await classifier.ClassifyAsync(Conversations.User("Nice weather today."), CancellationToken.None)).GetValueOrThrow();
            Assert.Equal(["S9"], unsafeResult.Categories);
            Assert.True(unsafeResult.UnsafeProbability >= 0.9f);
            Assert.Equal(GuardOutcome.Safe, safeResult.Outcome);
        }
    }

    private async Task<GuardClassification> ClassifyAsync(GuardClassificationRequest request) =>
        (await _classifier.ClassifyAsync(request, CancellationToken.None)).GetValueOrThrow();
}
