using GuardGateway.Core.Backends;

namespace GuardGateway.Backends.Tests;

/// <summary>Requests used across tests.</summary>
internal static class TestRequests
{
    public static ChatCompletionRequest Chat(string text = "Hi there", string model = "llama-3-8b", string? requestId = null) => new()
    {
        Model = model,
        Messages = [new ChatRequestMessage { Role = ChatMessageRole.User, Content = ChatContent.FromText(text) }],
        RequestId = requestId,
    };

    public static ChatCompletionRequest Completion(string prompt = "Once upon a time") => new()
    {
        Endpoint = ChatEndpoint.Completions,
        Model = "llama-3-8b",
        Prompt = CompletionPrompt.FromText(prompt),
    };

    /// <summary>Reads a whole stream into its events (bounded, so a hang fails the test instead of blocking it).</summary>
    public static async Task<List<ChatStreamEvent>> DrainAsync(ChatStreamSession session, CancellationToken cancellationToken = default)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(10));
        var events = new List<ChatStreamEvent>();
        await foreach (var e in session.Events.WithCancellation(guard.Token))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>All content deltas of a chat stream, concatenated per choice index.</summary>
    public static Dictionary<int, string> Texts(IEnumerable<ChatStreamEvent> events)
    {
        var texts = new Dictionary<int, string>();
        foreach (var chunk in events.OfType<ChatStreamChunkEvent>())
        {
            foreach (var choice in chunk.Chunk.Choices)
            {
                texts[choice.Index] = texts.GetValueOrDefault(choice.Index, "") + (choice.Delta?.Content ?? choice.Text ?? "");
            }
        }

        return texts;
    }
}
