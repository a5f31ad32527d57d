using System.Text;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// Reads a whole upstream stream into one answer, so it can be moderated before any of it is released (the
/// buffered stopgap until verify-then-release streaming is plugged in). A stream that fails or ends without its
/// terminal event is an error, never a clean finish.
/// </summary>
internal static class StreamAccumulator
{
    /// <summary>The whole answer, or the stream's error.</summary>
    public static async Task<Result<ChatCompletion>> ReadAllAsync(ChatStreamSession session, ChatEndpoint endpoint, CancellationToken cancellationToken)
    {
        var choices = new SortedDictionary<int, ChoiceBuilder>();
        string id = "", model = "";
        long created = 0;
        ChatUsage? usage = null;
        var completed = false;
        await foreach (var item in session.Events.WithCancellation(cancellationToken))
        {
            switch (item)
            {
                case ChatStreamChunkEvent { Chunk: var chunk }:
                    id = id.Length == 0 ? chunk.Id : id;
                    model = model.Length == 0 ? chunk.Model : model;
                    created = created == 0 ? chunk.Created : created;
                    usage = chunk.Usage ?? usage;
                    foreach (var choice in chunk.Choices)
                    {
                        if (!choices.TryGetValue(choice.Index, out var builder))
                        {
                            builder = new ChoiceBuilder();
                            choices[choice.Index] = builder;
                        }

                        builder.Add(choice);
                    }

                    break;
                case ChatStreamFailed failed:
                    return failed.Error;
                case ChatStreamCompleted:
                    completed = true;
                    break;
            }
        }

        if (!completed)
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, "The backend stream ended without its terminal event.");
        }

        return new ChatCompletion
        {
            Endpoint = endpoint,
            Id = id,
            Model = model,
            Created = created,
            Usage = usage,
            Choices = [.. choices.Select(pair => pair.Value.Build(pair.Key, endpoint))],
        };
    }

    private sealed class ChoiceBuilder
    {
        private readonly StringBuilder text = new();
        private readonly SortedDictionary<int, (string? Id, string? Type, string? Name, StringBuilder Arguments)> calls = [];
        private string? finish;
        private bool hasText;

        public void Add(ChatChunkChoice choice)
        {
            finish = choice.FinishReason ?? finish;
            var fragment = choice.Delta?.Content ?? choice.Text;
            if (fragment is not null)
            {
                text.Append(fragment);
                hasText = true;
            }

            foreach (var call in choice.Delta?.ToolCalls ?? [])
            {
                if (!calls.TryGetValue(call.Index, out var entry))
                {
                    entry = (null, null, null, new StringBuilder());
                }

                entry = (entry.Id ?? call.Id, entry.Type ?? call.Type, entry.Name ?? call.FunctionName, entry.Arguments.Append(call.ArgumentsFragment));
                calls[call.Index] = entry;
            }
        }

        public ChatChoice Build(int index, ChatEndpoint endpoint) => endpoint == ChatEndpoint.Completions
            ? new ChatChoice { Index = index, Text = text.ToString(), FinishReason = finish }
            : new ChatChoice
            {
                Index = index,
                FinishReason = finish,
                Message = new ChatResponseMessage
                {
                    Content = hasText || calls.Count == 0 ? text.ToString() : null,
                    ToolCalls = [.. calls.Values.Select(c => new ChatToolCall(c.Id ?? "", c.Type ?? "function", c.Name ?? "", c.Arguments.ToString()))],
                },
            };
    }
}
