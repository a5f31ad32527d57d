using GuardGateway.Core.Backends;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>
/// An upstream stream the test feeds with <see cref="Push"/>: a read completes at once when an event is queued and
/// waits otherwise, so a test controls what "has arrived" while a check runs. <see cref="Idle"/> completes when the
/// reader has taken everything pushed and waits for more. Records a dispose while a read was still waiting (invalid
/// for an async enumerator).
/// </summary>
public sealed class SteppedUpstream : IAsyncEnumerable<ChatStreamEvent>
{
    private readonly Lock _gate = new();
    private readonly Queue<ChatStreamEvent> _queue = new();
    private TaskCompletionSource<bool>? _waiter;
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _enumerated;
    private bool _reading;

    public int Read { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>DisposeAsync was called while a MoveNextAsync had not completed.</summary>
    public bool DisposedWhileReading { get; private set; }

    /// <summary>A waiting read was cancelled through the enumerator's token.</summary>
    public bool ReadCancelled { get; private set; }

    /// <summary>Completes when everything pushed was read and a read waits for more.</summary>
    public Task Idle
    {
        get
        {
            lock (_gate)
            {
                return _idle.Task;
            }
        }
    }

    public void Push(params ChatStreamEvent[] events)
    {
        TaskCompletionSource<bool>? wake = null;
        lock (_gate)
        {
            foreach (var e in events)
            {
                _queue.Enqueue(e);
            }

            if (_idle.Task.IsCompleted)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (_waiter is not null && _queue.Count > 0)
            {
                wake = _waiter;
                _waiter = null;
            }
        }

        wake?.TrySetResult(true);
    }

    public IAsyncEnumerator<ChatStreamEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Assert.Equal(0, Interlocked.Exchange(ref _enumerated, 1));
        return new Enumerator(this, cancellationToken);
    }

    private sealed class Enumerator(SteppedUpstream owner, CancellationToken cancellationToken) : IAsyncEnumerator<ChatStreamEvent>
    {
        private ChatStreamEvent? _current;

        public ChatStreamEvent Current => _current ?? throw new InvalidOperationException("No current event.");

        public ValueTask<bool> MoveNextAsync()
        {
            TaskCompletionSource<bool> waiter;
            lock (owner._gate)
            {
                Assert.Null(owner._waiter);
                if (TryTake())
                {
                    return ValueTask.FromResult(true);
                }

                waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                owner._waiter = waiter;
                owner._reading = true;
                owner._idle.TrySetResult();
            }

            return new ValueTask<bool>(WaitAsync(waiter));
        }

        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
            {
                owner.DisposedWhileReading |= owner._reading;
                owner.Disposed = true;
            }

            return ValueTask.CompletedTask;
        }

        private async Task<bool> WaitAsync(TaskCompletionSource<bool> waiter)
        {
            try
            {
                await waiter.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                lock (owner._gate)
                {
                    owner.ReadCancelled = true;
                    owner._waiter = null;
                }

                throw;
            }
            finally
            {
                lock (owner._gate)
                {
                    owner._reading = false;
                }
            }

            lock (owner._gate)
            {
                return TryTake() ? true : throw new InvalidOperationException("Woken without an event.");
            }
        }

        private bool TryTake()
        {
            if (!owner._queue.TryDequeue(out var next))
            {
                return false;
            }

            _current = next;
            owner.Read++;
            return true;
        }
    }
}
