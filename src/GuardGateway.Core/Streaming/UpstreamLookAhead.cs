using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// Reads an upstream stream for <see cref="StreamModerator.ModerateAsync"/>, ahead of the session while a guard check
/// runs, so that the next check covers every delta that arrived meanwhile instead of one check per delta.
/// Owns the upstream enumerator and at most one read in flight (a pending <c>MoveNextAsync</c>): that read is
/// awaited by the next <see cref="NextAsync"/>, or cancelled and awaited by <see cref="DisposeAsync"/> before the
/// enumerator is disposed (disposing an async enumerator with a pending <c>MoveNextAsync</c> is invalid). Never
/// reads past a terminal event. One caller drives it.
/// </summary>
internal sealed class UpstreamLookAhead : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly IAsyncEnumerator<ChatStreamEvent> _events;
    private readonly List<ChatStreamEvent> _arrived = [];
    private Task<ChatStreamEvent?>? _pending;
    private bool _ended;

    /// <summary>Starts enumerating <paramref name="upstream"/> (nothing is read yet).</summary>
    /// <param name="upstream">The upstream events.</param>
    /// <param name="cancellationToken">The client's token: cancelling it cancels the read in flight.</param>
    public UpstreamLookAhead(IAsyncEnumerable<ChatStreamEvent> upstream, CancellationToken cancellationToken)
    {
        // Linked, so that disposal can end a read in flight (after a block, or when the consumer stops early)
        // without cancelling the client's token.
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _events = upstream.GetAsyncEnumerator(_stop.Token);
    }

    /// <summary>Whether the client's token cancelled a read: the stream is over and nothing more is read.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>
    /// Every event that arrived since the last call, in order; waits for one when none did. Empty when the client
    /// cancelled (see <see cref="Cancelled"/>) or the stream's terminal event was already handed out.
    /// </summary>
    public async ValueTask<IReadOnlyList<ChatStreamEvent>> NextAsync()
    {
        if (_arrived.Count == 0 && !_ended)
        {
            var read = _pending ?? ReadAsync();
            _pending = null;
            Take(await read);
        }

        return TakeArrived();
    }

    /// <summary>
    /// Reads the events that arrive until <paramref name="work"/> (a guard check) completes; they are kept for the
    /// next <see cref="NextAsync"/>. A read still waiting when <paramref name="work"/> completes stays in flight
    /// (owned here). Never throws; <paramref name="work"/>'s outcome is left to the caller.
    /// </summary>
    public async Task ReadWhileAsync(Task work)
    {
        while (!work.IsCompleted && !_ended)
        {
            var read = _pending ??= ReadAsync();
            if (!read.IsCompleted)
            {
                await Task.WhenAny(work, read);
            }

            if (read.IsCompleted)
            {
                _pending = null;
                Take(read.Result);
            }
        }
    }

    /// <summary>
    /// Takes the events that already arrived, without waiting for more: the read in flight if it completed, then
    /// reads as long as they complete at once. A read that has to wait stays in flight (owned here).
    /// </summary>
    public void TakeAvailable()
    {
        while (!_ended)
        {
            var read = _pending ??= ReadAsync();
            if (!read.IsCompleted)
            {
                return;
            }

            _pending = null;
            Take(read.Result);
        }
    }

    /// <summary>Cancels and awaits a read still in flight, then disposes the upstream enumerator.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_pending is { IsCompleted: false } pending)
        {
            await _stop.CancelAsync();
            await pending;
        }

        _pending = null;
        await _events.DisposeAsync();
        _stop.Dispose();
    }

    private ChatStreamEvent[] TakeArrived()
    {
        if (_arrived.Count == 0 || Cancelled)
        {
            _arrived.Clear();
            return [];
        }

        ChatStreamEvent[] arrived = [.. _arrived];
        _arrived.Clear();
        return arrived;
    }

    private void Take(ChatStreamEvent? next)
    {
        if (next is null)
        {
            Cancelled = true;
            _ended = true;
            return;
        }

        _arrived.Add(next);
        _ended = next is ChatStreamCompleted or ChatStreamFailed;
    }

    /// <summary>
    /// The next upstream event; a failure for a throwing or unterminated upstream; null when cancelled. Never
    /// throws, so awaiting a read in flight is always safe.
    /// </summary>
    private Task<ChatStreamEvent?> ReadAsync()
    {
        return ReadCoreAsync(_events, _stop.Token);

        static async Task<ChatStreamEvent?> ReadCoreAsync(IAsyncEnumerator<ChatStreamEvent> events, CancellationToken token)
        {
            try
            {
                return await events.MoveNextAsync()
                    ? events.Current ?? new ChatStreamFailed(new GuardError(GuardErrorCode.BackendProtocolError, "The upstream produced a null event."))
                    : new ChatStreamFailed(new GuardError(GuardErrorCode.BackendProtocolError, "The upstream stream ended without a terminal event."));
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return null;
            }
#pragma warning disable CA1031 // A broken upstream must end the client's stream as failed, never as a clean finish.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                return new ChatStreamFailed(new GuardError(GuardErrorCode.BackendUnavailable, $"The upstream stream threw {exception.GetType().Name}."));
            }
        }
    }
}
