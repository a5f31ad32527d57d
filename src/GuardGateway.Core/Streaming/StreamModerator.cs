using System.Runtime.CompilerServices;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// Moderates streamed answers verify-then-release (RELIABILITY.md T2, T3): text reaches the client only after
/// the guard judged it in context. One instance serves every stream (register it as a singleton); each stream
/// gets a <see cref="StreamModerationSession"/>. Two ways to drive it:
/// <list type="bullet">
/// <item><see cref="ModerateAsync"/>: pull the moderated events from the upstream events
/// (<c>await foreach</c> in an SSE loop or a gRPC server-streaming handler).</item>
/// <item><see cref="Start"/>: push upstream events one at a time into the session yourself.</item>
/// </list>
/// </summary>
public sealed class StreamModerator
{
    private readonly ModerationPipeline _pipeline;
    private readonly StreamModerationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a moderator over the output moderation pipeline.</summary>
    /// <param name="pipeline">Judges each check (as <see cref="ModerationDirection.Output"/>, assessed as <c>Agent</c>).</param>
    /// <param name="options">Check points; <see cref="StreamModerationOptions.Default"/> when null.</param>
    /// <param name="timeProvider">Clock for latency figures; <see cref="TimeProvider.System"/> when null.</param>
    public StreamModerator(ModerationPipeline pipeline, StreamModerationOptions? options = null, TimeProvider? timeProvider = null)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _options = options ?? StreamModerationOptions.Default;
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Totals over every stream of this moderator.</summary>
    public StreamModerationCounters Counters { get; } = new();

    /// <summary>The check points in use.</summary>
    public StreamModerationOptions Options => _options;

    /// <summary>
    /// Starts moderating one upstream stream.
    /// </summary>
    /// <param name="context">
    /// The conversation the answer continues, as the guard sees it: user/assistant turns alternating from the
    /// user, ending with the user turn answered (or with an assistant prefill the model continues; then the
    /// prefill and the generated text are judged as one message, and only the generated text is released).
    /// </param>
    /// <param name="policy">The policy of the request.</param>
    /// <returns>The session, or <see cref="GuardErrorCode.InvalidRequest"/> when the context cannot be moderated.</returns>
    public Result<StreamModerationSession> Start(IReadOnlyList<ChatMessage> context, ModerationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        List<ChatMessage> probe = [.. context];
        if (probe.Count == 0 || probe[^1].Role != ChatRole.Assistant)
        {
            probe.Add(new ChatMessage(ChatRole.Assistant, string.Empty));
        }

        var slice = ModerationPipeline.SelectSlice(probe, ModerationDirection.Output);
        if (!slice.IsSuccess)
        {
            return slice.Error;
        }

        return new StreamModerationSession(_pipeline, _options, _time, Counters, context, policy);
    }

    /// <summary>
    /// Moderates an upstream stream: yields <see cref="ModeratedChunk"/>s of verified text and ends with exactly
    /// one <see cref="ModeratedStreamEnd"/>. While a guard check runs it keeps reading the upstream, and the next
    /// check point is chosen over everything that arrived meanwhile (checks coalesce when the guard is slower than
    /// the upstream). Stops reading the upstream (disposing its enumerator) as soon as
    /// the stream is blocked or fails; the caller then disposes the <see cref="ChatStreamSession"/> as well,
    /// which aborts the upstream call. An upstream that throws, or ends without a terminal event, ends the
    /// stream as <see cref="StreamEndReason.UpstreamFailed"/>. When <paramref name="cancellationToken"/> is
    /// cancelled, the running check and the upstream read are cancelled and the last event is a
    /// <see cref="StreamEndReason.Cancelled"/> end.
    /// </summary>
    /// <param name="upstream">The upstream events (<see cref="ChatStreamSession.Events"/>).</param>
    /// <param name="context">The conversation (see <see cref="Start"/>).</param>
    /// <param name="policy">The policy of the request.</param>
    /// <param name="cancellationToken">The client's token (request aborted, deadline).</param>
    public async IAsyncEnumerable<ModeratedStreamEvent> ModerateAsync(
        IAsyncEnumerable<ChatStreamEvent> upstream,
        IReadOnlyList<ChatMessage> context,
        ModerationPolicy policy,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var started = Start(context, policy);
        if (!started.IsSuccess)
        {
            yield return InvalidContextEnd(started.Error);
            yield break;
        }

        var session = started.Value;
        var upstreamEvents = new UpstreamLookAhead(upstream, cancellationToken);
        try
        {
            while (true)
            {
                var arrived = await upstreamEvents.NextAsync();
                if (arrived.Count == 0)
                {
                    yield return session.Cancel();
                    yield break;
                }

                var processing = session.ProcessAsync(arrived, cancellationToken);
                IReadOnlyList<ModeratedStreamEvent> produced;
                if (processing.IsCompleted)
                {
                    produced = processing.Result;
                }
                else
                {
                    // A guard check is running: read what the upstream sends meanwhile and, once the check is
                    // over, what is already there, so that the next check point is chosen (and the next check
                    // covers) everything that arrived, not one delta at a time. The session's buffers only
                    // change in ProcessAsync, so the running check commits exactly the text it judged.
                    var work = processing.AsTask();
                    await upstreamEvents.ReadWhileAsync(work);
                    if (work.IsCompletedSuccessfully && !session.IsEnded)
                    {
                        upstreamEvents.TakeAvailable();
                    }

                    produced = await work;
                }

                foreach (var produce in produced)
                {
                    yield return produce;
                }

                if (session.IsEnded)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // Also runs when the consumer stops early (client gone): the upstream enumeration is ended here, after
            // a read still in flight was cancelled and awaited.
            session.Cancel();
            await upstreamEvents.DisposeAsync();
        }
    }

    private ModeratedStreamEnd InvalidContextEnd(GuardError error)
    {
        Counters.StreamStarted();
        Counters.StreamEnded(StreamEndReason.InvalidContext, 0, 0);
        return new ModeratedStreamEnd
        {
            Reason = StreamEndReason.InvalidContext,
            Error = error,
            Stats = new StreamModerationStats
            {
                ChecksRun = 0,
                GuardTime = TimeSpan.Zero,
                FirstReleaseDelay = null,
                CharsReceived = 0,
                CharsReleased = 0,
                MaxCharsHeld = 0,
                FailedOpen = false,
                Flagged = false,
            },
        };
    }
}
