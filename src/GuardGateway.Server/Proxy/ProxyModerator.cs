using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Judgement;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// One guard judgement for the proxy: the pipeline under the server deadline (<see cref="DeadlineModerator"/>), always
/// with metrics and logs (lengths and codes only). Every classifier outcome is a decision (the policy's fail mode
/// decides when there is no verdict); the only errors are an invalid conversation and the caller going away.
/// </summary>
internal sealed class ProxyModerator(DeadlineModerator moderator)
{
    /// <summary>The guard model currently serving.</summary>
    public Core.Classification.GuardModelInfo Model => moderator.Model;

    /// <summary>Judges the last message of <paramref name="conversation"/> in <paramref name="direction"/>.</summary>
    public async Task<Result<ModerationDecision>> ModerateAsync(
        IReadOnlyList<ChatMessage> conversation,
        ModerationPolicy policy,
        ModerationDirection direction,
        string requestId,
        CancellationToken callerToken)
    {
        var judged = await moderator.ModerateAsync(
            conversation,
            policy,
            direction,
            requestId,
            recordMetrics: true,
            static _ => "The guard did not answer within the server deadline.",
            callerToken);
        return judged.IsSuccess ? judged.Value.Decision : judged.Error;
    }
}
