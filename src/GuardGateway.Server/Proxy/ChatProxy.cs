using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Redaction;
using GuardGateway.Core.Results;
using GuardGateway.Core.Streaming;
using GuardGateway.Server.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// The gateway flow shared by the HTTP and gRPC fronts: moderate the input (no backend call when it is blocked or
/// unjudged and the policy fails closed) -> forward through the routed backend -> moderate every output choice as
/// <c>Agent</c> with the conversation -> deliver, redact or block. Nothing reaches the backend or the client without
/// a verdict, except when the policy explicitly fails open (reported in <see cref="ProxyAnswer.FailedOpen"/>).
/// </summary>
internal sealed partial class ChatProxy(
    ProxyModerator moderator,
    IChatBackendRouter router,
    IRedactor redactor,
    PromptDecoder prompts,
    StreamModerator streams,
    GuardMetrics metrics,
    ProxyMetrics proxyMetrics,
    BlockedLatencyShaper blockedLatency,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    ILogger<ChatProxy> logger)
{
    /// <summary>Runs one call end to end (unary; for a stream the whole upstream answer is read and judged first).</summary>
    public async Task<ProxyOutcome> RunAsync(ProxyCall call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var prepared = await PrepareAsync(call, started, cancellationToken);
        if (prepared.Done is { } done)
        {
            return done;
        }

        var upstream = call.Request with { RequestId = call.RequestId };
        var answered = await CallBackendAsync(prepared.Backend!, upstream, call.Stream, cancellationToken);
        if (!answered.IsSuccess)
        {
            ProxyLog.BackendFailed(logger, call.RequestId, prepared.Backend!.Name, answered.Error.Code.ToString());
            return ProxyError.From(answered.Error);
        }

        var outcome = await ModerateOutputAsync(call, prepared.Input!, prepared.InputSummary!, prepared.InputFailedOpen, answered.Value, cancellationToken);
        if (outcome.IsSuccess)
        {
            blockedLatency.RecordAllowed(started);
        }

        return outcome;
    }

    /// <summary>
    /// Everything before the backend call: the input is judged and the backend resolved. <c>Done</c> is set when the
    /// call ends here (input refused, no verdict, invalid request, no backend). A content-blocked input is held until
    /// it is as old as an allowed call would be (<see cref="BlockedLatencyShaper"/>).
    /// </summary>
    private async Task<PreparedCall> PrepareAsync(ProxyCall call, long started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var input = BuildInput(call.Request);
        if (!input.IsSuccess)
        {
            return new PreparedCall(ProxyError.From(input.Error));
        }

        var judged = await ModerateInputAsync(input.Value, call, cancellationToken);
        if (!judged.IsSuccess)
        {
            return new PreparedCall(ProxyError.From(judged.Error));
        }

        var inputDecision = judged.Value;
        if (ShedByGuard(inputDecision) is { } shed)
        {
            return new PreparedCall(shed);
        }

        var inputSummary = ModerationSummary.From(inputDecision, moderator.Model.IsDemo, Severe(inputDecision.Action));
        if (inputSummary.Blocked)
        {
            ProxyLog.InputBlocked(logger, call.RequestId, call.Policy.Id, inputDecision.NoVerdict is not null);
            if (inputDecision.FailedClosed && options.Value.NoVerdictResponse == NoVerdictResponse.Error)
            {
                return new PreparedCall(NoVerdictError());
            }

            if (inputDecision.NoVerdict is null)
            {
                try
                {
                    await blockedLatency.HoldBlockedAsync(started, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return new PreparedCall(new ProxyError(ProxyErrorKind.Cancelled, "cancelled", "The caller went away."));
                }
            }

            return new PreparedCall(Refused(call, inputSummary, input.Value.PromptCount));
        }

        var backend = router.Resolve(call.Request.Model);
        if (!backend.IsSuccess)
        {
            return new PreparedCall(router is NoBackendRouter
                ? new ProxyError(ProxyErrorKind.BadGateway, NoBackendRouter.ErrorCode, backend.Error.Message)
                : ProxyError.From(backend.Error));
        }

        return new PreparedCall(null) { Input = input.Value, InputSummary = inputSummary, InputFailedOpen = inputDecision.FailedOpen, Backend = backend.Value };
    }

    private static async Task<Result<ChatCompletion>> CallBackendAsync(IChatBackend backend, ChatCompletionRequest request, bool stream, CancellationToken cancellationToken)
    {
        if (!stream)
        {
            return await backend.CompleteAsync(request, cancellationToken);
        }

        var opened = await backend.StreamAsync(request, cancellationToken);
        if (!opened.IsSuccess)
        {
            return opened.Error;
        }

        await using var session = opened.Value;
        return await StreamAccumulator.ReadAllAsync(session, request.Endpoint, cancellationToken);
    }

    /// <summary>
    /// The guard's limiter shed the call (its concurrency limit and queue were full) and the policy fails closed: that
    /// is overload, not a judgement of the content, so the client gets 429 / RESOURCE_EXHAUSTED (retry with backoff)
    /// rather than a refusal or UNAVAILABLE. Nothing was forwarded or released either way.
    /// </summary>
    private static ProxyError? ShedByGuard(ModerationDecision decision) =>
        decision.FailedClosed && decision.NoVerdict is { Code: GuardErrorCode.QueueFull } shed ? ProxyError.From(shed) : null;

    /// <summary>Input can only be allowed, flagged or blocked: the client's text is never edited on its way to the model.</summary>
    private static ModerationAction Severe(ModerationAction action) => action >= ModerationAction.Redact ? ModerationAction.Block : action;

    private static ProxyError NoVerdictError() => new(
        ProxyErrorKind.NoVerdict,
        "no_verdict",
        "The guard gave no verdict and the policy fails closed; nothing was forwarded or released.");

    private ProxyAnswer Refused(ProxyCall call, ModerationSummary input, int promptCount)
    {
        var perPrompt = Math.Max(1, call.Request.ChoiceCount ?? 1);
        var count = perPrompt * Math.Max(1, promptCount);
        var refusal = call.Policy.Refusal;
        var chat = call.Request.Endpoint == ChatEndpoint.ChatCompletions;
        var choices = Enumerable.Range(0, count).Select(i => new ChatChoice
        {
            Index = i,
            FinishReason = FinishReasons.ContentFilter,
            Message = chat ? new ChatResponseMessage { Content = refusal } : null,
            Text = chat ? null : refusal,
        }).ToList();
        return new ProxyAnswer
        {
            Completion = new ChatCompletion
            {
                Endpoint = call.Request.Endpoint,
                Id = (chat ? "chatcmpl-gg-" : "cmpl-gg-") + Guid.NewGuid().ToString("N"),
                Model = call.Request.Model,
                Created = time.GetUtcNow().ToUnixTimeSeconds(),
                Choices = choices,
            },
            Input = input,
            Choices = [.. choices.Select(c => new ChoiceOutcome(c.Index, input, refusal))],
            InputBlocked = true,
            FailedOpen = input.FailedOpen,
        };
    }
}
