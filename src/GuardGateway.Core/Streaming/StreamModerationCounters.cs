namespace GuardGateway.Core.Streaming;

/// <summary>
/// Totals over every stream of one <see cref="StreamModerator"/>, for metrics (a front exposes them as
/// observable counters). Thread-safe; monotonic except the <see cref="CharsHeld"/> gauge.
/// </summary>
public sealed class StreamModerationCounters
{
    private long _streamsStarted;
    private long _streamsCompleted;
    private long _streamsBlocked;
    private long _streamsFailed;
    private long _streamsCancelled;
    private long _checksRun;
    private long _checksFailedOpen;
    private long _charsReceived;
    private long _charsReleased;
    private long _charsWithheld;
    private long _charsHeld;

    /// <summary>Streams started.</summary>
    public long StreamsStarted => Interlocked.Read(ref _streamsStarted);

    /// <summary>Streams that ended cleanly.</summary>
    public long StreamsCompleted => Interlocked.Read(ref _streamsCompleted);

    /// <summary>Streams ended by a blocking check (including fail-closed).</summary>
    public long StreamsBlocked => Interlocked.Read(ref _streamsBlocked);

    /// <summary>Streams ended by an upstream failure or an invalid context.</summary>
    public long StreamsFailed => Interlocked.Read(ref _streamsFailed);

    /// <summary>Streams cancelled by the caller.</summary>
    public long StreamsCancelled => Interlocked.Read(ref _streamsCancelled);

    /// <summary>Guard checks run.</summary>
    public long ChecksRun => Interlocked.Read(ref _checksRun);

    /// <summary>Checks without a verdict that <c>on_error: open</c> let through.</summary>
    public long ChecksFailedOpen => Interlocked.Read(ref _checksFailedOpen);

    /// <summary>Characters received from upstreams.</summary>
    public long CharsReceived => Interlocked.Read(ref _charsReceived);

    /// <summary>Characters released to clients.</summary>
    public long CharsReleased => Interlocked.Read(ref _charsReleased);

    /// <summary>Characters received but never released (held when a stream ended).</summary>
    public long CharsWithheld => Interlocked.Read(ref _charsWithheld);

    /// <summary>Characters held right now (received, not yet released) over the streams in progress: a gauge, not monotonic.</summary>
    public long CharsHeld => Interlocked.Read(ref _charsHeld);

    internal void HeldChanged(long delta)
    {
        if (delta != 0)
        {
            Interlocked.Add(ref _charsHeld, delta);
        }
    }

    internal void StreamStarted() => Interlocked.Increment(ref _streamsStarted);

    internal void CheckRun(bool failedOpen)
    {
        Interlocked.Increment(ref _checksRun);
        if (failedOpen)
        {
            Interlocked.Increment(ref _checksFailedOpen);
        }
    }

    internal void StreamEnded(StreamEndReason reason, long received, long released)
    {
        switch (reason)
        {
            case StreamEndReason.Completed:
                Interlocked.Increment(ref _streamsCompleted);
                break;
            case StreamEndReason.Blocked:
                Interlocked.Increment(ref _streamsBlocked);
                break;
            case StreamEndReason.Cancelled:
                Interlocked.Increment(ref _streamsCancelled);
                break;
            default:
                Interlocked.Increment(ref _streamsFailed);
                break;
        }

        Interlocked.Add(ref _charsReceived, received);
        Interlocked.Add(ref _charsReleased, released);
        Interlocked.Add(ref _charsWithheld, received - released);
    }
}
