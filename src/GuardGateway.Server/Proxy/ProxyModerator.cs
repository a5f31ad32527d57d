using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// One guard judgement for the proxy: the pipeline under the server deadline, with metrics and logs (lengths and
/// codes only). Every classifier outcome is a decision (the policy's fail mode decides when there is no verdict);
/// the only errors are an invalid conversation and the caller going away.
/// </summary>
internal sealed class ProxyModerator(
    ModerationPipeline pipeline,
    DecisionRecorder recorder,
    IOptions<LimitsOptions> limits,
    TimeProvider time)
{
    /// <summary>The guard model currently serving.</summary>
    public Core.Classification.GuardModelInfo Model => pipeline.Classifier.Model;

    /// <summary>Judges the last message of <paramref name="conversation"/> in <paramref name="direction"/>.</summary>
    public async Task<Result<ModerationDecision>> ModerateAsync(
        IReadOnlyList<ChatMessage> conversation,
        ModerationPolicy policy,
        ModerationDirection direction,
        string requestId,
        CancellationToken callerToken)
    {
        var started = time.GetTimestamp();
        var timeout = TimeSpan.FromSeconds(limits.Value.RequestTimeoutSeconds);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, deadline.Token);
        var result = await pipeline.ModerateAsync(conversation, policy, direction, linked.Token);
        ModerationDecision decision;
        if (result.IsSuccess)
        {
            decision = result.Value;
        }
        else if (result.Error.Code == GuardErrorCode.Cancelled && !callerToken.IsCancellationRequested)
        {
            // Our deadline, not the caller's: no verdict, the fail mode decides.
            var timedOut = new GuardError(GuardErrorCode.Cancelled, "The guard did not answer within the server deadline.");
            decision = DecisionEvaluator.EvaluateFailure(timedOut, policy, direction, pipeline.Classifier.Model.Name);
        }
        else
        {
            return result.Error;
        }

        recorder.Record(decision, conversation, requestId, time.GetElapsedTime(started));
        return decision;
    }
}
