namespace GuardGateway.Core.Backends;

/// <summary>A chunk of a streaming answer (deltas for one or more choices, or usage).</summary>
/// <param name="Chunk">The chunk.</param>
public sealed record ChatStreamChunkEvent(ChatCompletionChunk Chunk) : ChatStreamEvent;
