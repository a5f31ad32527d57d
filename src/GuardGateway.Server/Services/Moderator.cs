using GuardGateway.Contracts.V1;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Judgement;
using GuardGateway.Server.Mapping;

namespace GuardGateway.Server.Services;

/// <summary>
/// One moderation under one policy, with the server deadline (<see cref="DeadlineModerator"/>), metrics and logs.
/// Shared by Moderate, ModerateBatch and the TestPolicy dry run.
/// </summary>
internal sealed class Moderator(DeadlineModerator moderator)
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
        var judged = await moderator.ModerateAsync(
            messages,
            policy,
            direction,
            requestId,
            recordMetrics,
            static timeout => $"The guard did not answer within the server deadline ({timeout.TotalSeconds:0.###} s).",
            callerToken);
        if (judged.IsSuccess)
        {
            return DecisionMapping.ToResponse(judged.Value.Decision, policy, moderator.Model, requestId, judged.Value.Elapsed);
        }

        if (judged.Error.Code == GuardErrorCode.Cancelled)
        {
            // The caller went away or its deadline passed (our own deadline is a decision): the edge maps this to
            // CANCELLED or DEADLINE_EXCEEDED.
            throw new OperationCanceledException(callerToken);
        }

        throw GuardErrorMapping.ToRpcException(judged.Error, "messages");
    }
}
