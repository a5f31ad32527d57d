using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Judgement;

/// <summary>
/// One moderation under the server deadline (<c>Limits:RequestTimeoutSeconds</c>), shared by the gRPC Moderation
/// service and the proxy fronts. When our deadline (not the caller's) cancels the pipeline there is no verdict and the
/// policy's fail mode decides, so every classifier outcome is a decision; the only errors left are the pipeline's own
/// (an invalid conversation) and the caller going away (code <see cref="GuardErrorCode.Cancelled"/>).
/// </summary>
internal sealed class DeadlineModerator(
    ModerationPipeline pipeline,
    DecisionRecorder recorder,
    IOptions<LimitsOptions> limits,
    TimeProvider time)
{
    /// <summary>The guard model currently serving.</summary>
    public GuardModelInfo Model => pipeline.Classifier.Model;

    /// <summary>
    /// Judges the last message of <paramref name="messages"/> in <paramref name="direction"/>.
    /// </summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="policy">The policy deciding, also when there is no verdict.</param>
    /// <param name="direction">Input (the last message is the user's) or output (the assistant's).</param>
    /// <param name="requestId">The request id for metrics and logs.</param>
    /// <param name="recordMetrics">Whether to record the decision in metrics and logs.</param>
    /// <param name="deadlineMessage">The no-verdict message when the server deadline (given) passes.</param>
    /// <param name="callerToken">The caller's cancellation.</param>
    /// <returns>The decision with the time taken, or the error when the conversation is invalid or the caller went away.</returns>
    public async Task<Result<TimedDecision>> ModerateAsync(
        IReadOnlyList<ChatMessage> messages,
        ModerationPolicy policy,
        ModerationDirection direction,
        string requestId,
        bool recordMetrics,
        Func<TimeSpan, string> deadlineMessage,
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
            var timedOut = new GuardError(GuardErrorCode.Cancelled, deadlineMessage(timeout));
            decision = DecisionEvaluator.EvaluateFailure(timedOut, policy, direction, pipeline.Classifier.Model.Name);
        }
        else
        {
            return result.Error;
        }

        var elapsed = time.GetElapsedTime(started);
        if (recordMetrics)
        {
            recorder.Record(decision, messages, requestId, elapsed);
        }

        return new TimedDecision(decision, elapsed);
    }
}
