using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>Where a split canary is streamed.</summary>
public enum CanaryPlacement
{
    /// <summary>In the content of the only choice.</summary>
    Content,

    /// <summary>In the content of choice 1 of n = 2 (choice 0 is benign; the two interleave).</summary>
    SecondChoice,

    /// <summary>In the arguments of a tool call, after benign content.</summary>
    ToolArguments,
}

/// <summary>Streams benign text with a canary split at a given position through a moderator.</summary>
internal static class CanaryStream
{
    private const string ArgumentsPrefix = "{\"query\": \"";

    public static StreamModerationOptions Variant(int variant, int size) => (variant % 4) switch
    {
        // A check after every delta: every chunk boundary, including the split, is a check point.
        0 => new StreamModerationOptions { CheckIntervalChars = 0, CheckIntervalTokens = 1, CheckAtSentenceEnds = false },
        // The same without holding back partial words.
        1 => new StreamModerationOptions { CheckIntervalChars = 0, CheckIntervalTokens = 1, MaxHeldWordChars = 0 },
        // A short character interval with sentence-end checks.
        2 => new StreamModerationOptions { CheckIntervalChars = 1 + (size * 2), MinSentenceCheckChars = 1 },
        _ => StreamModerationOptions.Default,
    };

    public static async Task<(Transcript Transcript, FakeUpstream Upstream)> RunAsync(
        string canary, int split, int size, CanaryPlacement placement, StreamModerationOptions options, string prefix, string suffix)
    {
        var guard = new CanaryClassifier(StreamTestData.Canaries);
        var moderator = new StreamModerator(new ModerationPipeline(guard), options);
        var upstream = new FakeUpstream(Script(canary, split, size, placement, prefix, suffix));
        var transcript = await Transcript.RunAsync(moderator, upstream, TestPolicies.Sample(), guard);
        return (transcript, upstream);
    }

    public static void AssertBlocked(Transcript transcript, string canary, CanaryPlacement placement)
    {
        Assert.NotNull(transcript.End);
        Assert.Equal(StreamEndReason.Blocked, transcript.End.Reason);
        Assert.False(transcript.End.IsClean);
        Assert.True(transcript.End.CancelUpstream);
        Assert.DoesNotContain(canary, transcript.AllText, StringComparison.Ordinal);
        var choice = placement == CanaryPlacement.SecondChoice ? 1 : 0;
        Assert.Equal(FinishReasons.ContentFilter, transcript.Finish[choice]);
        Assert.Equal(choice, transcript.End.BlockedChoiceIndex);
        Assert.True(transcript.BlockFinishSeen);
        Assert.Null(transcript.Usage);
    }

    private static List<ChatStreamEvent> Script(string canary, int split, int size, CanaryPlacement placement, string prefix, string suffix)
    {
        var text = prefix + canary + suffix;
        List<ChatStreamEvent> script = [StreamScript.Role(0)];
        switch (placement)
        {
            case CanaryPlacement.Content:
                script.AddRange(StreamScript.SplitAt(text, prefix.Length + split, size).Select(p => StreamScript.Content(0, p)));
                script.Add(StreamScript.Finish(0, FinishReasons.Stop));
                break;
            case CanaryPlacement.SecondChoice:
                var benign = StreamScript.Split(suffix + prefix + suffix, size, size);
                var unsafeText = StreamScript.SplitAt(text, prefix.Length + split, size);
                for (var i = 0; i < Math.Max(benign.Count, unsafeText.Count); i++)
                {
                    var a = i < benign.Count ? new Backends.ChatChunkChoice { Index = 0, Delta = new ChatDelta { Content = benign[i] } } : null;
                    var b = i < unsafeText.Count ? new Backends.ChatChunkChoice { Index = 1, Delta = new ChatDelta { Content = unsafeText[i] } } : null;
                    if (a is not null && b is not null && i % 3 == 0)
                    {
                        script.Add(StreamScript.Chunk(a, b));
                        continue;
                    }

                    if (a is not null)
                    {
                        script.Add(StreamScript.Chunk(a));
                    }

                    if (b is not null)
                    {
                        script.Add(StreamScript.Chunk(b));
                    }
                }

                script.Add(StreamScript.Finish(0, FinishReasons.Stop));
                script.Add(StreamScript.Finish(1, FinishReasons.Stop));
                break;
            default:
                script.Add(StreamScript.Content(0, "Let me look that up. "));
                script.Add(StreamScript.Tool(0, 0, "call_1", "search", string.Empty));
                var arguments = ArgumentsPrefix + text + "\"}";
                script.AddRange(StreamScript.SplitAt(arguments, ArgumentsPrefix.Length + prefix.Length + split, size).Select(p => StreamScript.Tool(0, 0, null, null, p)));
                script.Add(StreamScript.Finish(0, FinishReasons.ToolCalls));
                break;
        }

        script.Add(StreamScript.Usage(10, 20));
        script.Add(StreamScript.Completed);
        return script;
    }
}
