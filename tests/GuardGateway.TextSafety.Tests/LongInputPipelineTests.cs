using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.TextSafety;
using GuardGateway.TextSafety.Tests.Fakes;

namespace GuardGateway.TextSafety.Tests;

/// <summary>RELIABILITY T7: over-limit input is refused or fully chunked; no canary is ever allowed; nothing is truncated.</summary>
public sealed class LongInputPipelineTests
{
    private const string Canary = "zorblax quenting";
    private const int Limit = 8_192;

    public static TheoryData<int, string, int> Cases()
    {
        var data = new TheoryData<int, string, int>();
        foreach (var length in new[] { 1_024, 4_096, Limit - 1, Limit, Limit + 1, 3 * Limit, 20 * Limit })
        {
            foreach (var place in new[] { "start", "middle", "end", "boundary" })
            {
                foreach (var maxChunks in new[] { 0, 4, 64 })
                {
                    data.Add(length, place, maxChunks);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ModerateAsync_CanaryInLongInput_NeverAllowed(int length, string place, int maxChunks)
    {
        var text = WithCanary(length, place, chunkCharacters: 1_000, overlap: 64);
        var (result, counters, classifier) = await ModerateAsync([new ChatMessage(ChatRole.User, text)], maxChunks, FailMode.Open);

        AssertNeverAllowed(result, counters, maxChunks);
        Assert.All(classifier.Requests, r => Assert.True(r.Messages.Sum(m => m.Content.Length) <= Limit || r.Messages[^1].Content.Length == text.Length));
    }

    [Theory]
    [InlineData(0, ModerationDirection.Input)]
    [InlineData(8, ModerationDirection.Input)]
    [InlineData(200, ModerationDirection.Input)]
    [InlineData(0, ModerationDirection.Output)]
    [InlineData(8, ModerationDirection.Output)]
    public async Task ModerateAsync_CanaryAsLastTurnOf50_NeverAllowed(int maxChunks, ModerationDirection direction)
    {
        // 50 turns of history for input (plus the assessed user turn), 50 turns ending with the assessed answer for output.
        var conversation = new List<ChatMessage>();
        var history = direction == ModerationDirection.Input ? 50 : 49;
        for (var i = 0; i < history; i++)
        {
            conversation.Add(new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, new string('w', 300) + " turn " + i));
        }

        conversation.Add(new ChatMessage(direction == ModerationDirection.Input ? ChatRole.User : ChatRole.Assistant, "harmless words " + Canary));
        var (result, counters, _) = await ModerateAsync(conversation, maxChunks, FailMode.Open, direction);

        AssertNeverAllowed(result, counters, maxChunks);
        if (result.IsSuccess)
        {
            Assert.Equal(1, result.Value.TextSafety!.ChunksWithoutContext);
        }
    }

    [Fact]
    public async Task ModerateAsync_LongCleanInputWithChunking_AllowedAfterEveryChunk()
    {
        var text = string.Concat(Enumerable.Repeat("a harmless sentence. ", 2_000));
        var (result, counters, classifier) = await ModerateAsync([new ChatMessage(ChatRole.User, text)], 64, FailMode.Closed);

        var decision = result.GetValueOrThrow();
        Assert.Equal(ModerationAction.Allow, decision.Action);
        var expected = (int)Math.Ceiling((text.Length - 1_000) / 936.0) + 1;
        Assert.Equal(expected, decision.TextSafety!.Chunks);
        Assert.Equal(expected + 1, classifier.Requests.Count);
        Assert.Equal(1, counters.ChunkedClassifications);
        Assert.Equal(0, counters.SilentTruncations);
    }

    [Fact]
    public async Task ModerateAsync_OverTheCap_PromptTooLongEvenWhenFailOpen()
    {
        var text = new string('x', 100 * 1_000);
        var (result, counters, classifier) = await ModerateAsync([new ChatMessage(ChatRole.User, text)], 4, FailMode.Open);

        Assert.Equal(GuardErrorCode.PromptTooLong, result.Error!.Code);
        Assert.Single(classifier.Requests);
        Assert.Equal(1, counters.LongInputRejected);
    }

    private static void AssertNeverAllowed(Result<ModerationDecision> result, TextSafetyCounters counters, int maxChunks)
    {
        if (result.IsSuccess)
        {
            Assert.Equal(ModerationAction.Block, result.Value.Action);
            Assert.Null(result.Value.NoVerdict);
            Assert.True(result.Value.TextSafety!.Chunks <= maxChunks);
        }
        else
        {
            Assert.Equal(GuardErrorCode.PromptTooLong, result.Error.Code);
            Assert.Equal(1, counters.LongInputRejected);
        }

        Assert.Equal(0, counters.SilentTruncations);
    }

    private static async Task<(Result<ModerationDecision>, TextSafetyCounters, KeywordGuardClassifier)> ModerateAsync(IReadOnlyList<ChatMessage> conversation, int maxChunks, FailMode failMode, ModerationDirection direction = ModerationDirection.Input)
    {
        var classifier = new KeywordGuardClassifier([Canary], Limit);
        var counters = new TextSafetyCounters();
        var options = new ModerationPipelineOptions { MaxChunks = maxChunks, ChunkCharacters = 1_000, ChunkOverlapCharacters = 64, Counters = counters };
        var pipeline = new ModerationPipeline(classifier, options: options);
        var result = await pipeline.ModerateAsync(conversation, TestPolicy.Create(failMode), direction, CancellationToken.None);
        return (result, counters, classifier);
    }

    /// <summary>Filler with the canary at the start, middle, end, or straddling the first chunk boundary.</summary>
    private static string WithCanary(int length, string place, int chunkCharacters, int overlap)
    {
        var filler = new string('f', Math.Max(0, length - Canary.Length));
        var at = place switch
        {
            "start" => 0,
            "middle" => filler.Length / 2,
            "end" => filler.Length,
            _ => Math.Min(filler.Length, chunkCharacters - (Canary.Length / 2)),
        };
        _ = overlap;
        return filler.Insert(at, Canary);
    }
}
