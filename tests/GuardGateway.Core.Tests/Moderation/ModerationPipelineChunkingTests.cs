using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Moderation;

/// <summary>Long messages classified in chunks: every chunk judged, context kept when it fits, caps enforced.</summary>
public sealed class ModerationPipelineChunkingTests
{
    // Chunks of 10 chars overlapping by 2 (step 8); the guard refuses any message longer than 10 chars as too long.
    private const int Size = 10;
    private const int Overlap = 2;

    private static ModerationPipelineOptions Chunked(int maxChunks) => new() { MaxChunks = maxChunks, ChunkCharacters = Size, ChunkOverlapCharacters = Overlap };

    private static Result<GuardClassification> TooLongOver(int limit, GuardClassificationRequest request, Func<GuardClassificationRequest, Result<GuardClassification>> answer) =>
        request.Messages.Sum(m => m.Content.Length) > limit ? new GuardError(GuardErrorCode.PromptTooLong, "too long") : answer(request);

    [Fact]
    public async Task ModerateAsync_UnsafeOnlyInTheLastChunk_Blocks()
    {
        // 26 chars -> chunks [0,10) [8,18) [16,26); only the last one holds the trigger.
        var text = new string('a', 20) + "BADBAD";
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, q => q.Messages[^1].Content.Contains("BAD", StringComparison.Ordinal) ? FakeGuardClassifier.Unsafe(0.9f, "S1") : FakeGuardClassifier.Safe(0.1f)));
        var pipeline = new ModerationPipeline(classifier, options: Chunked(5));

        var decision = (await pipeline.ModerateAsync([new(ChatRole.User, text)], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.Equal(3, decision.TextSafety!.Chunks);
        Assert.Equal(0, decision.TextSafety.ChunksWithoutContext);
        Assert.Equal(1, pipeline.Counters.ChunkedClassifications);
        Assert.Equal(3, pipeline.Counters.Chunks);
        Assert.Equal([text, text[..10], text[8..18], text[16..]], classifier.Requests.Select(r => r.Messages[^1].Content));
    }

    [Fact]
    public async Task ModerateAsync_BlockingChunk_LaterChunksNotClassified()
    {
        var text = "BAD" + new string('a', 23);
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, q => q.Messages[^1].Content.Contains("BAD", StringComparison.Ordinal) ? FakeGuardClassifier.Unsafe(0.9f, "S1") : FakeGuardClassifier.Safe(0.1f)));

        var decision = (await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync([new(ChatRole.User, text)], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.Equal(2, classifier.Requests.Count); // the whole message, then the first chunk
    }

    [Fact]
    public async Task ModerateAsync_ChunkWithoutVerdictUnderFailOpen_StopsThere()
    {
        // Under fail-open a no-verdict allows, so only the no-verdict itself (not the action) can stop the loop.
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, _ => new GuardError(GuardErrorCode.QueueFull, "full")));

        var decision = (await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync([new(ChatRole.User, new string('a', 26))], TestPolicies.Sample(FailMode.Open), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.True(decision.FailedOpen);
        Assert.Equal(2, classifier.Requests.Count);
    }

    [Fact]
    public async Task ModerateAsync_OutputChunks_JudgedInContextAsTheAgent()
    {
        var answer = new string('a', 20);
        var classifier = new FakeGuardClassifier(r => TooLongOver(12, r, _ => FakeGuardClassifier.Safe()));

        var decision = (await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync([new(ChatRole.User, "q"), new(ChatRole.Assistant, answer)], TestPolicies.Sample(), ModerationDirection.Output, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(3, decision.TextSafety!.Chunks);
        Assert.Equal(0, decision.TextSafety.ChunksWithoutContext);
        Assert.All(classifier.Requests.Skip(1), r => Assert.Equal([ChatRole.User, ChatRole.Assistant], r.Messages.Select(m => m.Role)));
        Assert.All(classifier.Requests.Skip(1), r => Assert.Equal("q", r.Messages[0].Content));
    }

    [Fact]
    public async Task ModerateAsync_ContextTooLong_ChunksJudgedAloneAsTheAgentAndCounted()
    {
        var question = new string('q', 30);
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, _ => FakeGuardClassifier.Safe()));

        var decision = (await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync([new(ChatRole.User, question), new(ChatRole.Assistant, new string('a', 20))], TestPolicies.Sample(), ModerationDirection.Output, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(ModerationAction.Allow, decision.Action);
        Assert.Equal(3, decision.TextSafety!.Chunks);
        Assert.Equal(3, decision.TextSafety.ChunksWithoutContext);

        // Whole slice, first chunk in context (too long), then every chunk alone as an answer to an empty question.
        var alone = classifier.Requests.Skip(2).ToList();
        Assert.Equal(3, alone.Count);
        Assert.All(alone, r => Assert.Equal([(ChatRole.User, string.Empty), (ChatRole.Assistant, r.Messages[1].Content)], r.Messages.Select(m => (m.Role, m.Content))));
    }

    [Fact]
    public async Task ModerateAsync_BothCopiesChunked_ChunksOfBothReported()
    {
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, _ => FakeGuardClassifier.Safe()));
        var options = Chunked(5) with { Normalizer = new ReplacingNormalizer("x", "y") };

        var decision = (await new ModerationPipeline(classifier, options: options).ModerateAsync([new(ChatRole.User, new string('q', 30)), new(ChatRole.Assistant, "x" + new string('a', 19))], TestPolicies.Sample(), ModerationDirection.Output, CancellationToken.None)).GetValueOrThrow();

        Assert.True(decision.TextSafety!.VariantClassified);
        Assert.Equal(6, decision.TextSafety.Chunks);
        Assert.Equal(6, decision.TextSafety.ChunksWithoutContext);
    }

    [Fact]
    public async Task ModerateAsync_InputChunksOfASingleMessage_JudgedAsTheUserWithoutCountingLostContext()
    {
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, _ => FakeGuardClassifier.Safe()));

        var decision = (await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync([new(ChatRole.User, new string('a', 20))], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(0, decision.TextSafety!.ChunksWithoutContext);
        Assert.All(classifier.Requests.Skip(1), r => Assert.Equal(ChatRole.User, Assert.Single(r.Messages).Role));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ModerateAsync_ChunkTooLongEvenAlone_RefusedNeverAllowed(int turns)
    {
        // The guard refuses everything longer than 3 chars, so no 10-char chunk fits on its own.
        var classifier = new FakeGuardClassifier(r => TooLongOver(3, r, _ => FakeGuardClassifier.Safe()));
        ChatMessage[] conversation = turns == 1 ? [new(ChatRole.User, new string('a', 20))] : [new(ChatRole.User, "q"), new(ChatRole.Assistant, new string('a', 20))];
        var direction = turns == 1 ? ModerationDirection.Input : ModerationDirection.Output;

        var result = await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync(conversation, TestPolicies.Sample(FailMode.Open), direction, CancellationToken.None);

        Assert.Equal(GuardErrorCode.PromptTooLong, result.Error!.Code);
        Assert.Equal("A chunk of 10 characters is too long for the guard even on its own; lower the chunk size.", result.Error.Message);

        // The whole slice, the first chunk in context (only when there is context), the first chunk alone: then stop.
        Assert.Equal(turns + 1, classifier.Requests.Count);
    }

    [Fact]
    public async Task ModerateAsync_ChunkRejectedAsInvalid_ReturnsTheError()
    {
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, _ => GuardError.Invalid("bad chunk")));

        var result = await new ModerationPipeline(classifier, options: Chunked(5)).ModerateAsync([new(ChatRole.User, new string('a', 20))], TestPolicies.Sample(FailMode.Open), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error!.Code);
        Assert.Equal("bad chunk", result.Error.Message);
    }

    [Theory]
    [InlineData(26, 3, true)] // exactly MaxChunks chunks: classified
    [InlineData(27, 3, false)] // one more than MaxChunks (the plan's count decides)
    [InlineData(60, 3, false)] // far more (the estimate refuses before planning)
    public async Task ModerateAsync_ChunkCap_ExactlyMaxChunksAllowedMoreRefused(int length, int maxChunks, bool classified)
    {
        var classifier = new FakeGuardClassifier(r => TooLongOver(Size, r, _ => FakeGuardClassifier.Safe()));

        var result = await new ModerationPipeline(classifier, options: Chunked(maxChunks)).ModerateAsync([new(ChatRole.User, new string('a', length))], TestPolicies.Sample(FailMode.Open), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(classified, result.IsSuccess);
        if (!classified)
        {
            Assert.Equal(GuardErrorCode.PromptTooLong, result.Error!.Code);
            var needed = (length - Overlap + (Size - Overlap) - 1) / (Size - Overlap);
            Assert.Equal($"The message is too long for the guard: it would need {needed} chunks of 10 characters; the limit is {maxChunks}.", result.Error.Message);
            Assert.Single(classifier.Requests);
        }
    }

    [Fact]
    public async Task ModerateAsync_EstimateAboveThePlanBecauseOfASurrogatePair_StillClassified()
    {
        // 19 code units: the estimate says 3 chunks, but the second chunk takes one more unit to keep the pair
        // whole and reaches the end, so the plan has 2 — within MaxChunks 2.
        var text = new string('a', 17) + "\U0001F600";
        var classifier = new FakeGuardClassifier(r => TooLongOver(11, r, _ => FakeGuardClassifier.Safe()));

        var decision = (await new ModerationPipeline(classifier, options: Chunked(2)).ModerateAsync([new(ChatRole.User, text)], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(2, decision.TextSafety!.Chunks);
    }

    [Fact]
    public async Task ModerateAsync_ChunkingOff_ReturnsTheGuardsOwnError()
    {
        var classifier = new FakeGuardClassifier(_ => new GuardError(GuardErrorCode.PromptTooLong, "the guard's own words"));

        var result = await new ModerationPipeline(classifier).ModerateAsync([new(ChatRole.User, new string('a', 20))], TestPolicies.Sample(FailMode.Open), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal("the guard's own words", result.Error!.Message);
        Assert.Single(classifier.Requests);
    }
}
