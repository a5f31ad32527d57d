using GuardGateway.Core.Backends;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// Verified text to send to the client, shaped like an upstream chunk so a front can serialize it as it would
/// an upstream one. Each choice carries only released text: a content delta (or <see cref="ChatChunkChoice.Text"/>
/// for legacy completions), tool-call deltas (id, type and name with the first released fragment of a call),
/// the role with the first delta of a choice, and finish reasons: the upstream's only in the last chunk of a
/// clean stream (a choice's text is released as soon as its final check passes, its finish reason waits for
/// the upstream's clean end), or <see cref="FinishReasons.ContentFilter"/> in the last chunk of a blocked stream.
/// Per-choice fields the gateway did not moderate (logprobs, reasoning text) are not forwarded.
/// </summary>
/// <param name="Chunk">The chunk: upstream id, model, created and top-level extra fields; released choices; usage on the last chunk of a clean stream.</param>
public sealed record ModeratedChunk(ChatCompletionChunk Chunk) : ModeratedStreamEvent
{
    /// <summary>
    /// True for the last chunk of a blocked stream: no text, every choice not finished yet finished with
    /// <see cref="FinishReasons.ContentFilter"/>. The <see cref="StreamEndReason.Blocked"/> end always follows it at
    /// once (no upstream read or check in between), so a front may hold this chunk until the end and replace it
    /// (e.g. with an error for a no-verdict block) without delaying any released text.
    /// </summary>
    public bool FinishesBlockedStream { get; init; }
}
