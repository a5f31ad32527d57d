namespace GuardGateway.Core.Backends;

/// <summary>
/// An open streaming answer from a backend. Enumerate <see cref="Events"/> once; it ends with exactly one
/// terminal event (<see cref="ChatStreamCompleted"/> or <see cref="ChatStreamFailed"/>). Disposing releases the
/// upstream connection and the backend's concurrency permit, and aborts the upstream call if it is still running.
/// </summary>
public sealed class ChatStreamSession : IAsyncDisposable
{
    private readonly IAsyncEnumerable<ChatStreamEvent> _events;
    private readonly Func<ValueTask> _dispose;
    private int _enumerated;
    private int _disposed;

    /// <summary>Creates a stream over an event sequence and the action that releases its resources.</summary>
    /// <param name="events">The events; the sequence must end with one terminal event.</param>
    /// <param name="dispose">Releases the connection and permit; called once.</param>
    public ChatStreamSession(IAsyncEnumerable<ChatStreamEvent> events, Func<ValueTask> dispose)
    {
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _dispose = dispose ?? throw new ArgumentNullException(nameof(dispose));
    }

    /// <summary>The events, in arrival order. Can be enumerated only once.</summary>
    public IAsyncEnumerable<ChatStreamEvent> Events =>
        Interlocked.Exchange(ref _enumerated, 1) == 0
            ? _events
            : throw new InvalidOperationException("A backend stream can be enumerated only once.");

    /// <inheritdoc />
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _dispose() : ValueTask.CompletedTask;
}
