using System.Text;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>
/// What a client received from a moderated stream, checked as it arrives: nothing after the end, at most one
/// finish per choice, and (with a <see cref="CanaryClassifier"/>) every released character inside a text the
/// guard had judged safe by the time it was released.
/// </summary>
public sealed class Transcript
{
    private readonly CanaryClassifier? _guard;

    public Transcript(CanaryClassifier? guard = null) => _guard = guard;

    public SortedDictionary<int, StringBuilder> Content { get; } = [];

    public SortedDictionary<(int Choice, int Tool), StringBuilder> Arguments { get; } = [];

    public SortedDictionary<(int Choice, int Tool), StringBuilder> Names { get; } = [];

    public SortedDictionary<(int Choice, int Tool), string?> Ids { get; } = [];

    public SortedDictionary<int, string> Finish { get; } = [];

    public List<ModeratedStreamEvent> Events { get; } = [];

    public ModeratedStreamEnd? End { get; private set; }

    public ChatUsage? Usage { get; private set; }

    /// <summary>Every content and argument text released, joined (to look for canaries across fields).</summary>
    public string AllText => string.Join("\n", Content.Values.Select(c => c.ToString()).Concat(Arguments.Values.Select(a => a.ToString())));

    public string ContentOf(int choice) => Content.TryGetValue(choice, out var text) ? text.ToString() : string.Empty;

    public string ArgumentsOf(int choice, int tool) => Arguments.TryGetValue((choice, tool), out var text) ? text.ToString() : string.Empty;

    public static Task<Transcript> RunAsync(
        StreamModerator moderator,
        FakeUpstream upstream,
        ModerationPolicy policy,
        CanaryClassifier? guard = null,
        IReadOnlyList<ChatMessage>? context = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(moderator, upstream.Events(CancellationToken.None), policy, guard, context, cancellationToken);

    public static async Task<Transcript> RunAsync(
        StreamModerator moderator,
        IAsyncEnumerable<ChatStreamEvent> upstream,
        ModerationPolicy policy,
        CanaryClassifier? guard = null,
        IReadOnlyList<ChatMessage>? context = null,
        CancellationToken cancellationToken = default)
    {
        var transcript = new Transcript(guard);
        await foreach (var e in moderator.ModerateAsync(upstream, context ?? StreamTestData.Context, policy, cancellationToken))
        {
            transcript.Add(e);
        }

        return transcript;
    }

    /// <summary>Whether the chunk finishing a blocked stream was received (it must be followed at once by a Blocked end).</summary>
    public bool BlockFinishSeen { get; private set; }

    public void Add(ModeratedStreamEvent e)
    {
        Assert.Null(End);
        Assert.True(!BlockFinishSeen || e is ModeratedStreamEnd { Reason: StreamEndReason.Blocked }, "something other than the Blocked end followed the block's finish chunk");
        Events.Add(e);
        if (e is ModeratedChunk { FinishesBlockedStream: true } finish)
        {
            BlockFinishSeen = true;
            Assert.All(finish.Chunk.Choices, c => Assert.NotNull(c.FinishReason));
            Assert.All(finish.Chunk.Choices, c => Assert.True(string.IsNullOrEmpty(c.Delta?.Content ?? c.Text) && (c.Delta?.ToolCalls.Count ?? 0) == 0));
        }

        switch (e)
        {
            case ModeratedStreamEnd end:
                End = end;
                break;
            case ModeratedChunk chunk:
                AddChunk(chunk.Chunk);
                break;
            default:
                Assert.Fail("unknown event");
                break;
        }
    }

    private void AddChunk(ChatCompletionChunk chunk)
    {
        Usage ??= chunk.Usage;
        foreach (var choice in chunk.Choices)
        {
            Assert.False(Finish.ContainsKey(choice.Index), "a choice received something after its finish");
            var text = choice.Delta?.Content ?? choice.Text ?? string.Empty;
            Append(Content, choice.Index, text);
            foreach (var call in choice.Delta?.ToolCalls ?? [])
            {
                if (call.Id is not null)
                {
                    Assert.False(Ids.ContainsKey((choice.Index, call.Index)), "a tool call header was sent twice");
                    Ids[(choice.Index, call.Index)] = call.Id;
                }

                Append(Names, (choice.Index, call.Index), call.FunctionName ?? string.Empty);
                Append(Arguments, (choice.Index, call.Index), call.ArgumentsFragment ?? string.Empty);
            }

            if (choice.FinishReason is not null)
            {
                Finish[choice.Index] = choice.FinishReason;
            }

            AssertVerified(choice.Index);
        }
    }

    /// <summary>The released text of a choice must be a prefix of a text the guard judged safe before now.</summary>
    private void AssertVerified(int choice)
    {
        if (_guard is null)
        {
            return;
        }

        var safe = _guard.SafeTexts;
        var content = ContentOf(choice);
        if (content.Length > 0)
        {
            Assert.True(safe.Any(s => s.StartsWith(content, StringComparison.Ordinal)), "released content beyond the verified prefix");
        }

        foreach (var ((c, tool), arguments) in Arguments)
        {
            if (c != choice)
            {
                continue;
            }

            var rendered = "[tool call " + Names[(c, tool)] + "] " + arguments;
            Assert.True(safe.Any(s => s.Contains(rendered, StringComparison.Ordinal)), "released tool-call arguments beyond the verified prefix");
        }
    }

    private static void Append<TKey>(SortedDictionary<TKey, StringBuilder> map, TKey key, string text)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var builder))
        {
            builder = new StringBuilder();
            map.Add(key, builder);
        }

        builder.Append(text);
    }
}
