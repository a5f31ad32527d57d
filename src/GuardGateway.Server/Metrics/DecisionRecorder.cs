using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Server.Logging;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Metrics;

/// <summary>
/// Records one moderation decision in metrics and logs, the same way for the Moderation service and the
/// proxy fronts: decision and category counters, classifier timings, no-verdict events, and at Debug a summary
/// with lengths and codes only, never the text (ARCHITECTURE.md §6).
/// </summary>
internal sealed class DecisionRecorder(GuardMetrics metrics, ILogger<DecisionRecorder> logger)
{
    public void Record(ModerationDecision decision, IReadOnlyList<ChatMessage> messages, string requestId, TimeSpan elapsed)
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
            var length = messages.Sum(m => m.Content.Length);
            var codes = string.Join(',', decision.Categories.Select(c => c.Code));
            ServerLog.Moderated(logger, requestId, action, direction, decision.PolicyId, decision.PolicyVersion, messages.Count, length, codes, elapsed.TotalMilliseconds);
        }
    }
}
