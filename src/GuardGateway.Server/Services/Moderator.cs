using GuardGateway.Contracts.V1;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Mapping;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Services;

/// <summary>
/// One moderation under one policy, with the server deadline, metrics and logs. Shared by Moderate,
/// ModerateBatch and the TestPolicy dry run.
/// </summary>
internal sealed class Moderator(
    ModerationPipeline pipeline,
    DecisionRecorder recorder,
    IOptions<LimitsOptions> limits,
    TimeProvider time)
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
            recorder.Record(decision, messages, requestId, elapsed);
        }

        return DecisionMapping.ToResponse(decision, policy, pipeline.Classifier.Model, requestId, elapsed);
    }
}
