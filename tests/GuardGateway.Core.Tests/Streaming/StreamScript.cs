using GuardGateway.Core.Backends;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>Builds upstream event sequences.</summary>
internal static class StreamScript
{
    /// <summary>Splits text into a first piece of <paramref name="first"/> characters, then pieces of <paramref name="size"/>.</summary>
    public static List<string> Split(string text, int first, int size)
    {
        List<string> pieces = [];
        var at = 0;
        var next = first <= 0 ? size : first;
        while (at < text.Length)
        {
            var length = Math.Min(next, text.Length - at);
            pieces.Add(text.Substring(at, length));
            at += length;
            next = size;
        }

        return pieces;
    }

    /// <summary>Splits text so that a piece boundary falls exactly at <paramref name="boundary"/>.</summary>
    public static List<string> SplitAt(string text, int boundary, int size)
    {
        var first = boundary % size;
        return Split(text, first == 0 ? size : first, size);
    }

    public static ChatStreamEvent Content(int choice, string text, string? finish = null) =>
        Chunk(new ChatChunkChoice { Index = choice, Delta = new ChatDelta { Content = text }, FinishReason = finish });

    public static ChatStreamEvent Role(int choice) =>
        Chunk(new ChatChunkChoice { Index = choice, Delta = new ChatDelta { Role = ChatMessageRole.Assistant } });

    public static ChatStreamEvent Tool(int choice, int tool, string? id, string? name, string? arguments) =>
        Chunk(new ChatChunkChoice { Index = choice, Delta = new ChatDelta { ToolCalls = [new ChatToolCallDelta(tool, id, id is null ? null : "function", name, arguments)] } });

    public static ChatStreamEvent Finish(int choice, string reason) =>
        Chunk(new ChatChunkChoice { Index = choice, Delta = new ChatDelta(), FinishReason = reason });

    public static ChatStreamEvent Chunk(params ChatChunkChoice[] choices) =>
        new ChatStreamChunkEvent(new ChatCompletionChunk { Id = "chatcmpl-1", Model = "llama-3", Created = 1, Choices = choices });

    public static ChatStreamEvent Usage(int prompt, int completion) =>
        new ChatStreamChunkEvent(new ChatCompletionChunk { Id = "chatcmpl-1", Model = "llama-3", Created = 1, Usage = new ChatUsage(prompt, completion, prompt + completion) });

    public static ChatStreamEvent Completed => ChatStreamCompleted.Instance;
}
