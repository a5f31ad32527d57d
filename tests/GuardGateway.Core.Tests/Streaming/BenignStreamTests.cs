using CsCheck;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>Benign streams are released completely and exactly, with the upstream's finish reasons.</summary>
public sealed class BenignStreamTests
{
    private static readonly Gen<string> BenignText =
        Gen.Select(Gen.OneOf(StreamTestData.BenignWords), Gen.OneOf(StreamTestData.Ends), (w, e) => w + e).Array[0, 40].Select(string.Concat);

    [Fact]
    public async Task ModerateAsync_GeneratedBenignStreams_ReleaseExactlyTheUpstreamText()
    {
        var gen = Gen.Select(
            BenignText.Array[1, 3],
            BenignText,
            Gen.Bool,
            Gen.Int[0, 3],
            Gen.Int,
            (texts, arguments, tool, variant, seed) => (texts, arguments, tool, variant, seed));

        await gen.SampleAsync(
            async t =>
            {
                var random = new Random(t.seed);
                var guard = new CanaryClassifier(StreamTestData.Canaries);
                var moderator = new StreamModerator(new ModerationPipeline(guard), CanaryStream.Variant(t.variant, 1 + random.Next(16)));
                var script = BuildScript(t.texts, t.tool ? t.arguments : null, random);

                var transcript = await Transcript.RunAsync(moderator, new FakeUpstream(script), TestPolicies.Sample(), guard);

                Assert.NotNull(transcript.End);
                Assert.True(transcript.End.IsClean, transcript.End.Reason.ToString());
                for (var i = 0; i < t.texts.Length; i++)
                {
                    Assert.Equal(t.texts[i], transcript.ContentOf(i));
                    Assert.Equal(i == 0 && t.tool ? FinishReasons.ToolCalls : i == 2 ? FinishReasons.Length : FinishReasons.Stop, transcript.Finish[i]);
                }

                if (t.tool)
                {
                    Assert.Equal("{\"note\": \"" + t.arguments + "\"}", transcript.ArgumentsOf(0, 0));
                    Assert.Equal("lookup", transcript.Names[(0, 0)].ToString());
                    Assert.Equal("call_7", transcript.Ids[(0, 0)]);
                }

                Assert.NotNull(transcript.Usage);
                Assert.Equal(transcript.End.Stats.CharsReceived, transcript.End.Stats.CharsReleased);
            },
            seed: "4sTQmVZ0a1Hk",
            iter: 1500,
            threads: 1);
    }

    [Fact]
    public async Task ModerateAsync_FirstReleasedDelta_CarriesTheAssistantRoleOnce()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalTokens = 1 });
        var upstream = new FakeUpstream([StreamScript.Role(0), StreamScript.Content(0, "Calm seas. "), StreamScript.Content(0, "Fine weather."), StreamScript.Finish(0, FinishReasons.Stop), StreamScript.Completed]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        var roles = transcript.Events.OfType<ModeratedChunk>().SelectMany(c => c.Chunk.Choices).Select(c => c.Delta?.Role).ToList();
        Assert.Equal(ChatMessageRole.Assistant, roles[0]);
        Assert.All(roles.Skip(1), r => Assert.Null(r));
        Assert.All(transcript.Events.OfType<ModeratedChunk>(), c => Assert.Equal("chatcmpl-1", c.Chunk.Id));
    }

    [Fact]
    public async Task ModerateAsync_LegacyCompletionChunks_ReleaseTextField()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), new StreamModerationOptions { CheckIntervalTokens = 2 });
        static ChatStreamEvent Text(string text, string? finish = null) => new ChatStreamChunkEvent(new ChatCompletionChunk
        {
            Endpoint = ChatEndpoint.Completions,
            Choices = [new ChatChunkChoice { Index = 0, Text = text, FinishReason = finish }],
        });
        var upstream = new FakeUpstream([Text("Once upon"), Text(" a time"), Text(" there was"), Text(" a harbor.", FinishReasons.Length), StreamScript.Completed]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.True(transcript.End!.IsClean);
        Assert.Equal("Once upon a time there was a harbor.", transcript.ContentOf(0));
        Assert.Equal(FinishReasons.Length, transcript.Finish[0]);
        Assert.All(transcript.Events.OfType<ModeratedChunk>().SelectMany(c => c.Chunk.Choices), c => Assert.Null(c.Delta));
    }

    [Fact]
    public async Task ModerateAsync_AssistantPrefill_JudgesPrefillWithGeneratedTextAndReleasesOnlyGenerated()
    {
        var guard = new CanaryClassifier(["hammer protocol"]);
        var moderator = new StreamModerator(new ModerationPipeline(guard));
        ChatMessage[] context = [new(ChatRole.User, "Name a tool."), new(ChatRole.Assistant, "The hammer")];
        var upstream = new FakeUpstream([StreamScript.Content(0, " protocol is"), StreamScript.Content(0, " next."), StreamScript.Finish(0, FinishReasons.Stop), StreamScript.Completed]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard, context);

        Assert.Equal(StreamEndReason.Blocked, transcript.End!.Reason);
        Assert.Equal(string.Empty, transcript.ContentOf(0));
        Assert.StartsWith("The hammer protocol", guard.Assessed[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModerateAsync_DeltasAfterAChoiceFinished_AreDroppedNotReleased()
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard));
        var upstream = new FakeUpstream([StreamScript.Content(0, "All calm.", FinishReasons.Stop), StreamScript.Content(0, " crimson plinth"), StreamScript.Completed]);

        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);

        Assert.True(transcript.End!.IsClean);
        Assert.Equal("All calm.", transcript.ContentOf(0));
        Assert.DoesNotContain(guard.Assessed, a => a.Contains("crimson", StringComparison.Ordinal));
    }

    private static List<ChatStreamEvent> BuildScript(string[] texts, string? arguments, Random random)
    {
        List<Queue<ChatStreamEvent>> perChoice = [];
        for (var i = 0; i < texts.Length; i++)
        {
            Queue<ChatStreamEvent> events = new();
            events.Enqueue(StreamScript.Role(i));
            foreach (var piece in RandomPieces(texts[i], random))
            {
                events.Enqueue(StreamScript.Content(i, piece));
            }

            if (i == 0 && arguments is not null)
            {
                events.Enqueue(StreamScript.Tool(0, 0, "call_7", "look", null));
                events.Enqueue(StreamScript.Tool(0, 0, null, "up", string.Empty));
                foreach (var piece in RandomPieces("{\"note\": \"" + arguments + "\"}", random))
                {
                    events.Enqueue(StreamScript.Tool(0, 0, null, null, piece));
                }
            }

            events.Enqueue(StreamScript.Finish(i, i == 0 && arguments is not null ? FinishReasons.ToolCalls : i == 2 ? FinishReasons.Length : FinishReasons.Stop));
            perChoice.Add(events);
        }

        // Choices interleave in random order, as n > 1 streams do.
        List<ChatStreamEvent> script = [];
        while (perChoice.Any(q => q.Count > 0))
        {
            var open = perChoice.Where(q => q.Count > 0).ToList();
            script.Add(open[random.Next(open.Count)].Dequeue());
        }

        script.Add(StreamScript.Usage(12, 34));
        script.Add(StreamScript.Completed);
        return script;
    }

    private static IEnumerable<string> RandomPieces(string text, Random random)
    {
        var at = 0;
        while (at < text.Length)
        {
            var length = Math.Min(1 + random.Next(16), text.Length - at);
            yield return text.Substring(at, length);
            at += length;
        }
    }
}
