using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// Verify-then-release moderation of one upstream stream (push style). Feed every upstream event, in order,
/// to <see cref="ProcessAsync(ChatStreamEvent, CancellationToken)"/> (or the events that arrived together to
/// <see cref="ProcessAsync(IReadOnlyList{ChatStreamEvent}, CancellationToken)"/>) and send what it returns; it returns the terminal
/// <see cref="ModeratedStreamEnd"/> exactly once, after which the stream is over (stop reading the upstream
/// when <see cref="ModeratedStreamEnd.CancelUpstream"/>). Per choice it buffers content and tool-call deltas,
/// asks the guard (assistant message so far, conversation as context) at the check points of
/// <see cref="StreamModerationOptions"/> and before the choice or the stream ends, and releases only text a
/// passing check covered. Not thread-safe except <see cref="Cancel"/>: one caller drives it.
/// </summary>
public sealed partial class StreamModerationSession
{
    private readonly ModerationPipeline _pipeline;
    private readonly StreamModerationOptions _options;
    private readonly TimeProvider _time;
    private readonly StreamModerationCounters _counters;
    private readonly ModerationPolicy _policy;
    private readonly IReadOnlyList<ChatMessage> _context;
    private readonly string _assistantPrefix;
    private readonly SortedDictionary<int, ChoiceBuffer> _choices = [];
    private readonly Lock _gate = new();
    private ModeratedStreamEnd? _end;
    private ChatCompletionChunk? _header;
    private ChatUsage? _usage;
    private ModerationDecision? _strongest;
    private int _busy;
    private int _endDelivered;
    private int _checksRun;
    private long _guardTicks;
    private long? _firstTextAt;
    private long? _firstReleaseAt;
    private long _maxHeld;
    private long _held;
    private bool _failedOpen;
    private bool _flagged;

    internal StreamModerationSession(
        ModerationPipeline pipeline,
        StreamModerationOptions options,
        TimeProvider time,
        StreamModerationCounters counters,
        IReadOnlyList<ChatMessage> context,
        ModerationPolicy policy)
    {
        _pipeline = pipeline;
        _options = options;
        _time = time;
        _counters = counters;
        _policy = policy;

        // A context ending with an assistant turn is a prefill the model continues: the guard judges the
        // prefill and the generated text as one message.
        if (context.Count > 0 && context[^1].Role == ChatRole.Assistant)
        {
            _context = [.. context.Take(context.Count - 1)];
            _assistantPrefix = context[^1].Content;
        }
        else
        {
            _context = context;
            _assistantPrefix = string.Empty;
        }

        counters.StreamStarted();
    }

    /// <summary>Whether the terminal event was produced.</summary>
    public bool IsEnded => Volatile.Read(ref _end) is not null;

    /// <summary>The terminal event, once produced.</summary>
    public ModeratedStreamEnd? End => Volatile.Read(ref _end);

    /// <summary>
    /// Processes the next upstream event and returns what to send, in order: zero or one
    /// <see cref="ModeratedChunk"/>, then the <see cref="ModeratedStreamEnd"/> when the stream is over (after
    /// <see cref="ChatStreamCompleted"/>, <see cref="ChatStreamFailed"/>, a blocking check, or cancellation).
    /// Returns an empty list when <see cref="Cancel"/> ended the stream meanwhile.
    /// </summary>
    /// <param name="upstreamEvent">The next upstream event.</param>
    /// <param name="cancellationToken">The client's token; cancelling it stops the running check and ends the stream as <see cref="StreamEndReason.Cancelled"/>.</param>
    /// <exception cref="InvalidOperationException">The stream already ended, or another call is running.</exception>
    public ValueTask<IReadOnlyList<ModeratedStreamEvent>> ProcessAsync(ChatStreamEvent upstreamEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstreamEvent);
        return ProcessAsync([upstreamEvent], cancellationToken);
    }

    /// <summary>
    /// Processes the next upstream events as one step: every delta among them is buffered before the check points
    /// are chosen, so one check covers all of them (feed everything that arrived while the previous call ran, so a
    /// slow guard does not fall further behind with a queue of small checks). Returns what to send, like
    /// <see cref="ProcessAsync(ChatStreamEvent, CancellationToken)"/>.
    /// </summary>
    /// <param name="upstreamEvents">The next upstream events, in order; a terminal event may only be last.</param>
    /// <param name="cancellationToken">The client's token; cancelling it stops the running check and ends the stream as <see cref="StreamEndReason.Cancelled"/>.</param>
    /// <exception cref="InvalidOperationException">The stream already ended, or another call is running.</exception>
    public async ValueTask<IReadOnlyList<ModeratedStreamEvent>> ProcessAsync(IReadOnlyList<ChatStreamEvent> upstreamEvents, CancellationToken cancellationToken)
    {
        Validate(upstreamEvents);
        if (IsEnded)
        {
            throw new InvalidOperationException("The moderated stream already ended.");
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("ProcessAsync was called while another call was running.");
        }

        try
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Ended(Finish(StreamEndReason.Cancelled, error: CancelledError));
            }

            if (!Append(upstreamEvents))
            {
                return [];
            }

            return upstreamEvents[^1] switch
            {
                ChatStreamCompleted => await OnCompletedAsync(cancellationToken),
                ChatStreamFailed failed => Ended(Finish(StreamEndReason.UpstreamFailed, error: failed.Error)),
                _ => await OnChunksAsync(cancellationToken),
            };
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Ends the stream as cancelled (the client went away and the caller stops driving it); returns the
    /// terminal event, or the existing one when the stream already ended. Safe to call from another thread.
    /// </summary>
    public ModeratedStreamEnd Cancel()
    {
        var end = Finish(StreamEndReason.Cancelled, error: CancelledError);
        Volatile.Write(ref _endDelivered, 1);
        return end;
    }

    private static GuardError CancelledError => new(GuardErrorCode.Cancelled, "The client cancelled the stream.");

    private async ValueTask<IReadOnlyList<ModeratedStreamEvent>> OnChunksAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _choices.Values)
        {
            if (IsEnded)
            {
                return [];
            }

            var due = buffer.Finished ? !buffer.FinalPassed : IsCheckDue(buffer);
            if (!due)
            {
                continue;
            }

            var end = await CheckAsync(buffer, buffer.Finished, cancellationToken);
            if (end is not null)
            {
                return Ended(end);
            }
        }

        lock (_gate)
        {
            if (_end is not null)
            {
                return [];
            }

            var release = BuildRelease(completing: false);
            TrackHeld();
            return release is null ? [] : [release];
        }
    }

    private async ValueTask<IReadOnlyList<ModeratedStreamEvent>> OnCompletedAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _choices.Values)
        {
            if (IsEnded)
            {
                return [];
            }

            if (buffer.FinalPassed)
            {
                continue;
            }

            var end = await CheckAsync(buffer, final: true, cancellationToken);
            if (end is not null)
            {
                return Ended(end);
            }
        }

        lock (_gate)
        {
            if (_end is not null)
            {
                return [];
            }

            var release = BuildRelease(completing: true);
            var completed = Finish(StreamEndReason.Completed);
            var ended = Ended(completed);
            return release is null || ended.Count == 0 ? ended : [release, .. ended];
        }
    }

    private bool IsCheckDue(ChoiceBuffer buffer)
    {
        var unverified = buffer.Unverified;
        if (unverified == 0)
        {
            return false;
        }

        return (_options.CheckIntervalChars > 0 && unverified >= _options.CheckIntervalChars)
            || (_options.CheckIntervalTokens > 0 && buffer.DeltasSinceCheck >= _options.CheckIntervalTokens)
            || (_options.CheckAtSentenceEnds && buffer.SentenceEndPending && unverified >= _options.MinSentenceCheckChars);
    }

    /// <summary>Updates the held figures (received, not released); call under the gate.</summary>
    private void TrackHeld()
    {
        var held = _choices.Values.Sum(c => c.Received - c.Released);
        _maxHeld = Math.Max(_maxHeld, held);
        _counters.HeldChanged(held - _held);
        _held = held;
    }

    private IReadOnlyList<ModeratedStreamEvent> Ended(ModeratedStreamEnd end)
    {
        // The end is delivered once: when Cancel() won a race, its caller has it and nothing more is sent.
        if (Interlocked.Exchange(ref _endDelivered, 1) != 0)
        {
            return [];
        }

        if (end.Reason != StreamEndReason.Blocked)
        {
            return [end];
        }

        var filtered = BuildContentFilterChunk();
        return filtered is null ? [end] : [filtered, end];
    }

    private ModeratedStreamEnd Finish(StreamEndReason reason, ModerationDecision? decision = null, int? choice = null, GuardError? error = null)
    {
        lock (_gate)
        {
            if (_end is not null)
            {
                return _end;
            }

            var received = _choices.Values.Sum(c => c.Received);
            var released = _choices.Values.Sum(c => c.Released);
            var end = new ModeratedStreamEnd
            {
                Reason = reason,
                Decision = decision ?? (reason == StreamEndReason.Completed ? _strongest : null),
                BlockedChoiceIndex = choice,
                Error = error,
                Stats = new StreamModerationStats
                {
                    ChecksRun = _checksRun,
                    GuardTime = TimeSpan.FromTicks(_guardTicks),
                    FirstReleaseDelay = _firstReleaseAt is { } at && _firstTextAt is { } first ? _time.GetElapsedTime(first, at) : null,
                    CharsReceived = received,
                    CharsReleased = released,
                    MaxCharsHeld = _maxHeld,
                    FailedOpen = _failedOpen,
                    Flagged = _flagged,
                },
            };
            _counters.HeldChanged(-_held);
            _held = 0;
            _counters.StreamEnded(reason, received, released);
            Volatile.Write(ref _end, end);
            return end;
        }
    }
}
