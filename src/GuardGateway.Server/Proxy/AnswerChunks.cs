using GuardGateway.Core.Backends;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// Turns a moderated answer into stream chunks (buffered mode: the whole answer was judged before the first chunk):
/// per choice a role chunk, its content and tool calls, then a finishing chunk; a usage chunk when asked for.
/// </summary>
internal static class AnswerChunks
{
    /// <summary>The chunks in order; <paramref name="decorate"/> may add fields to each choice's finishing delta.</summary>
    public static IEnumerable<ChatCompletionChunk> From(ProxyAnswer answer, bool includeUsage, Func<ChatChunkChoice, ChoiceOutcome, ChatChunkChoice> decorate)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(decorate);
        var completion = answer.Completion;
        var chat = completion.Endpoint == ChatEndpoint.ChatCompletions;
        ChatCompletionChunk Chunk(IReadOnlyList<ChatChunkChoice> choices, ChatUsage? usage = null) => new()
        {
            Endpoint = completion.Endpoint,
            Id = completion.Id,
            Model = completion.Model,
            Created = completion.Created,
            Choices = choices,
            Usage = usage,
        };

        for (var i = 0; i < completion.Choices.Count; i++)
        {
            var choice = completion.Choices[i];
            var outcome = answer.Choices[i];
            if (chat)
            {
                var message = choice.Message ?? new ChatResponseMessage();
                yield return Chunk([new ChatChunkChoice { Index = choice.Index, Delta = new ChatDelta { Role = ChatMessageRole.Assistant, Content = "" } }]);
                if (!string.IsNullOrEmpty(message.Content) || message.ToolCalls.Count > 0)
                {
                    yield return Chunk([new ChatChunkChoice
                    {
                        Index = choice.Index,
                        Delta = new ChatDelta
                        {
                            Content = message.Content,
                            ToolCalls = [.. message.ToolCalls.Select((c, n) => new ChatToolCallDelta(n, c.Id, c.Type, c.FunctionName, c.Arguments))],
                        },
                    }]);
                }

                yield return Chunk([decorate(new ChatChunkChoice { Index = choice.Index, Delta = new ChatDelta(), FinishReason = choice.FinishReason ?? FinishReasons.Stop }, outcome)]);
            }
            else
            {
                yield return Chunk([new ChatChunkChoice { Index = choice.Index, Text = choice.Text ?? "" }]);
                yield return Chunk([decorate(new ChatChunkChoice { Index = choice.Index, Text = "", FinishReason = choice.FinishReason ?? FinishReasons.Stop }, outcome)]);
            }
        }

        if (includeUsage && completion.Usage is { } usage)
        {
            yield return Chunk([], usage);
        }
    }
}
