namespace GuardGateway.Core.Backends;

/// <summary>One event of a streaming answer: a chunk, or the terminal completion or failure.</summary>
public abstract record ChatStreamEvent;
