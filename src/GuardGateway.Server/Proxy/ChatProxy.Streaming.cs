using System.Runtime.CompilerServices;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Server.Proxy;

/// <summary>Streaming: verify-then-release through the <see cref="StreamModerator"/> (no unverified text leaves).</summary>
internal sealed partial class ChatProxy
{
    /// <summary>
    /// Opens a moderated stream. Legacy completions with several prompts fall back to the buffered flow (each
    /// choice needs its own prompt as context): the whole answer is judged before the first byte is sent.
    /// </summary>
    public async Task<ProxyStreamOutcome> OpenStreamAsync(ProxyCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Request.Endpoint == ChatEndpoint.Completions && (call.Request.Prompt?.Texts.Count ?? 0) + (call.Request.Prompt?.TokenIds.Count ?? 0) > 1)
        {
            return new ProxyStreamOutcome(await RunAsync(call, cancellationToken), null);
        }

        var started = time.GetTimestamp();
        var prepared = await PrepareAsync(call, started, cancellationToken);
        if (prepared.Done is { } done)
        {
            return new ProxyStreamOutcome(done, null);
        }

        var backend = prepared.Backend!;
        var opened = await backend.StreamAsync(call.Request with { RequestId = call.RequestId }, cancellationToken);
        if (!opened.IsSuccess)
        {
            ProxyLog.BackendFailed(logger, call.RequestId, backend.Name, opened.Error.Code.ToString());
            return new ProxyStreamOutcome(ProxyError.From(opened.Error), null);
        }

        // A stream's comparable latency is the time to its opening (what a client sees before the first text).
        blockedLatency.RecordAllowed(started);
        var input = prepared.Input!;
        var context = input.Conversation.Count > 0 ? input.Conversation : GuardConversation.FromPrompt(input.Prompts[0]);
        var events = ForFronts(streams.ModerateAsync(opened.Value.Events, context, call.Policy, cancellationToken), cancellationToken);
        return new ProxyStreamOutcome(null, new ProxyStream(prepared.InputSummary!, prepared.InputFailedOpen, call.Policy, events, opened.Value));
    }

    /// <summary>
    /// The error a stream's end is answered with instead of its refusal: a no-verdict block when the gateway answers
    /// errors (<see cref="NoVerdictResponse.Error"/>); null otherwise.
    /// </summary>
    public ProxyError? StreamEndError(ModeratedStreamEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        return end.Reason == StreamEndReason.Blocked && end.Decision is { FailedClosed: true } && options.Value.NoVerdictResponse == NoVerdictResponse.Error
            ? new ProxyError(ProxyErrorKind.NoVerdict, "no_verdict", "The guard gave no verdict and the policy fails closed; the stream was stopped.")
            : null;
    }

    /// <summary>
    /// The moderated events as every front relays them: the content_filter chunk that finishes a blocked stream (the
    /// moderator yields its end right after it) is held until that end and dropped when the end is answered with
    /// <see cref="StreamEndError"/>, so no front sends a refusal and then an error, and a front that sent nothing yet
    /// can still answer with an error status. Released text is never held.
    /// </summary>
    private async IAsyncEnumerable<ModeratedStreamEvent> ForFronts(
        IAsyncEnumerable<ModeratedStreamEvent> events,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ModeratedChunk? blockFinish = null;
        await foreach (var item in events.WithCancellation(cancellationToken))
        {
            if (item is ModeratedChunk { FinishesBlockedStream: true } finish)
            {
                blockFinish = finish;
                continue;
            }

            if (blockFinish is not null && !(item is ModeratedStreamEnd end && StreamEndError(end) is not null))
            {
                yield return blockFinish;
            }

            blockFinish = null;
            yield return item;
        }
    }

    /// <summary>The summary of a stream's end: the deciding (or strongest) decision, or a plain allow when nothing needed a check.</summary>
    public ModerationSummary Summarize(ModeratedStreamEnd end, ProxyStream stream)
    {
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(stream);
        proxyMetrics.StreamEnded(end);
        if (end.Stats.FailedOpen)
        {
            metrics.NoVerdict("stream", failedOpen: true, stream.Policy.Id);
        }

        if (end.Decision is { } decision)
        {
            return ModerationSummary.From(decision, moderator.Model.IsDemo) with { FailedOpen = decision.FailedOpen || end.Stats.FailedOpen };
        }

        return stream.Input with
        {
            Action = Core.Moderation.ModerationAction.Allow,
            Direction = Core.Moderation.ModerationDirection.Output,
            Categories = [],
            NoVerdict = false,
            FailedOpen = end.Stats.FailedOpen,
            Reason = "safe",
        };
    }
}
