using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Streaming;

/// <summary>Guard checks of a choice's text so far.</summary>
public sealed partial class StreamModerationSession
{
    /// <summary>
    /// Judges the choice's whole text so far; on allow or flag marks it verified (and, for a final check,
    /// releasable in full). Returns the terminal event when the stream must end, else null.
    /// </summary>
    private async ValueTask<ModeratedStreamEnd?> CheckAsync(ChoiceBuffer buffer, bool final, CancellationToken cancellationToken)
    {
        if (buffer.Unverified == 0)
        {
            // Everything was judged already (or there is no text): nothing new to ask about.
            if (final)
            {
                buffer.FinalPassed = true;
            }

            return null;
        }

        List<ChatMessage> conversation = [.. _context, new ChatMessage(ChatRole.Assistant, AssistantMessageText.Render(_assistantPrefix, buffer))];
        var started = _time.GetTimestamp();
        Result<ModerationDecision> result;
        try
        {
            result = await _pipeline.ModerateAsync(conversation, _policy, ModerationDirection.Output, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = CancelledError;
        }
#pragma warning disable CA1031 // No verdict from any cause follows the policy's fail mode (closed by default), never "safe".
        catch (Exception exception)
#pragma warning restore CA1031
        {
            result = DecisionEvaluator.EvaluateFailure(
                new GuardError(GuardErrorCode.ClassifierFailure, $"Output moderation threw {exception.GetType().Name}."),
                _policy,
                ModerationDirection.Output,
                _pipeline.Classifier.Model.Name);
        }

        _guardTicks += _time.GetElapsedTime(started).Ticks;
        _checksRun++;
        _counters.CheckRun(result.IsSuccess && result.Value.FailedOpen);

        if (!result.IsSuccess)
        {
            return result.Error.Code == GuardErrorCode.Cancelled || cancellationToken.IsCancellationRequested
                ? Finish(StreamEndReason.Cancelled, error: result.Error)
                : Finish(StreamEndReason.InvalidContext, error: result.Error);
        }

        var decision = result.Value;

        // Redaction needs the whole text to localize spans, and released text cannot be taken back: in a
        // stream, redact blocks (the policy's redact still applies to unary answers).
        if (decision.Action >= ModerationAction.Redact)
        {
            return Finish(StreamEndReason.Blocked, decision, buffer.Index);
        }

        _failedOpen |= decision.FailedOpen;
        _flagged |= decision.Action == ModerationAction.Flag;
        if (_strongest is null || Rank(decision) >= Rank(_strongest))
        {
            _strongest = decision;
        }

        buffer.CommitVerified();
        if (final)
        {
            buffer.FinalPassed = true;
        }

        return null;
    }

    // Which decision a clean end reports: a flag over a fail-open allow over a plain allow (the latest on ties).
    private static int Rank(ModerationDecision decision) =>
        decision.Action == ModerationAction.Flag ? 2 : decision.FailedOpen ? 1 : 0;
}
