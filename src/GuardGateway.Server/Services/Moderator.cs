using GuardGateway.Contracts.V1;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Logging;
using GuardGateway.Server.Mapping;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Services;

/// <summary>
/// One moderation under one policy, with the server deadline, metrics and logs. Shared by Moderate,
/// ModerateBatch and the TestPolicy dry run.
/// </summary>
internal sealed class Moderator(
    ModerationPipeline pipeline,
    GuardMetrics metrics,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<Moderator> logger)
{
    /// <summary>
    /// Moderates and maps the decision. Throws <see cref="Grpc.Core.RpcException"/> for an invalid conversation or when
    /// the caller went away; every classifier outcome (including failures and the server deadline) is a decision.
    /// </summary>
    public async Task<ModerateResponse> ModerateAsync(
        IReadOnlyList<ChatMessage> messages,
        ModerationDirection direction,
        ModerationPolicy policy,
        string requestId,
        bool recordMetrics,
        CancellationToken callerToken)
    {
        var started = time.GetTimestamp();
        var timeout = TimeSpan.FromSeconds(limits.Value.RequestTimeoutSeconds);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, deadline.Token);

        var result = await pipeline.ModerateAsync(messages, policy, direction, linked.Token);
        ModerationDecision decision;
        if (result.IsSuccess)
        {
            decision = result.Value;
        }
        else if (result.Error.Code == GuardErrorCode.Cancelled && !callerToken.IsCancellationRequested)
        {
            // Our own deadline passed, not the caller's: no verdict, so the policy's fail mode decides.
            var timedOut = new GuardError(GuardErrorCode.Cancelled, $"The guard did not answer within the server deadline ({timeout.TotalSeconds:0.###} s).");
            decision = DecisionEvaluator.EvaluateFailure(timedOut, policy, direction, pipeline.Classifier.Model.Name);
        }
        else if (result.Error.Code == GuardErrorCode.Cancelled)
        {
            // The caller went away or its deadline passed: the edge maps this to CANCELLED or DEADLINE_EXCEEDED.
            throw new OperationCanceledException(callerToken);
        }
        else
        {
            throw GuardErrorMapping.ToRpcException(result.Error, "messages");
        }

        var elapsed = time.GetElapsedTime(started);
        if (recordMetrics)
        {
            Record(decision, messages, requestId, elapsed);
        }

        return DecisionMapping.ToResponse(decision, policy, pipeline.Classifier.Model, requestId, elapsed);
    }

    private void Record(ModerationDecision decision, IReadOnlyList<ChatMessage> messages, string requestId, TimeSpan elapsed)
    {
        var action = decision.Action.ToWireName();
        var direction = decision.Direction == ModerationDirection.Input ? "input" : "output";
        metrics.Decision(action, direction, decision.PolicyId, elapsed);
        foreach (var category in decision.Categories.Where(c => c.Reported))
        {
            metrics.CategoryReported(category.Code, category.Action.ToWireName(), direction);
        }

        if (decision.Classification is { } classification)
        {
            metrics.Classified(classification.Timings.Total, classification.Timings.Queued);
        }

        if (decision.NoVerdict is { } noVerdict)
        {
            var reason = noVerdict.Code.ToString();
            metrics.NoVerdict(reason, decision.FailedOpen, decision.PolicyId);
            ServerLog.NoVerdict(logger, requestId, reason, decision.PolicyId, decision.FailedOpen ? "open" : "closed", action);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            // Lengths and codes only, never the text (ARCHITECTURE.md §6).
            var length = messages.Sum(m => m.Content.Length);
            var codes = string.Join(',', decision.Categories.Select(c => c.Code));
            ServerLog.Moderated(logger, requestId, action, direction, decision.PolicyId, decision.PolicyVersion, messages.Count, length, codes, elapsed.TotalMilliseconds);
        }
    }
}
