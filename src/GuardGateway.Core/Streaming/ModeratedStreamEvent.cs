namespace GuardGateway.Core.Streaming;

/// <summary>
/// What a <see cref="StreamModerationSession"/> tells the front to send: a <see cref="ModeratedChunk"/> of
/// verified text, or the terminal <see cref="ModeratedStreamEnd"/> (exactly one per stream, always last).
/// </summary>
public abstract record ModeratedStreamEvent;
