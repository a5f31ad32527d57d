using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GuardGateway.Server.Metrics;

/// <summary>
/// The server's instruments (meter <c>GuardGateway.Server</c>), exported as Prometheus text at
/// <c>/metrics</c>. Tags carry policy ids, codes and actions only, never text or keys.
/// </summary>
internal sealed class GuardMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "GuardGateway.Server";

    private readonly Counter<long> decisions;
    private readonly Counter<long> categoryReports;
    private readonly Counter<long> failOpen;
    private readonly Counter<long> noVerdict;
    private readonly Counter<long> rejected;
    private readonly Counter<long> policyChanges;
    private readonly Histogram<double> moderationDuration;
    private readonly Histogram<double> classifyDuration;
    private readonly Histogram<double> queueDuration;

    public GuardMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        decisions = meter.CreateCounter<long>("guardgateway.decisions", "{decision}", "Moderation decisions by decision, direction and policy.");
        categoryReports = meter.CreateCounter<long>("guardgateway.category.reports", "{report}", "Categories the guard reported, by category code and the action applied.");
        failOpen = meter.CreateCounter<long>("guardgateway.fail_open", "{decision}", "Decisions let through without a verdict because the policy fails open.");
        noVerdict = meter.CreateCounter<long>("guardgateway.no_verdict", "{decision}", "Decisions made without a verdict (classifier error, timeout, queue full, parse failure), by reason.");
        rejected = meter.CreateCounter<long>("guardgateway.rejected", "{call}", "Calls refused before moderation, by reason.");
        policyChanges = meter.CreateCounter<long>("guardgateway.policy.changes", "{change}", "Policy changes through the admin API, by operation.");
        moderationDuration = meter.CreateHistogram<double>("guardgateway.moderation.duration", "s", "Server-side time of one moderation, by decision.");
        classifyDuration = meter.CreateHistogram<double>("guardgateway.classify.duration", "s", "Classifier time of one moderation (queue, prefill and decode).");
        queueDuration = meter.CreateHistogram<double>("guardgateway.classify.queue_duration", "s", "Time a classification waited in the inference queue.");
    }

    /// <summary>Records one decision.</summary>
    public void Decision(string decision, string direction, string policyId, TimeSpan elapsed)
    {
        var tags = new TagList { { "decision", decision }, { "direction", direction }, { "policy", policyId } };
        decisions.Add(1, tags);
        moderationDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("decision", decision));
    }

    /// <summary>Records one reported category.</summary>
    public void CategoryReported(string code, string action, string direction) =>
        categoryReports.Add(1, new TagList { { "category", code }, { "action", action }, { "direction", direction } });

    /// <summary>Records the classifier timings of one decision.</summary>
    public void Classified(TimeSpan total, TimeSpan queued)
    {
        classifyDuration.Record(total.TotalSeconds);
        queueDuration.Record(queued.TotalSeconds);
    }

    /// <summary>Records a decision without a verdict.</summary>
    public void NoVerdict(string reason, bool failedOpen, string policyId)
    {
        noVerdict.Add(1, new TagList { { "reason", reason }, { "policy", policyId } });
        if (failedOpen)
        {
            failOpen.Add(1, new TagList { { "reason", reason }, { "policy", policyId } });
        }
    }

    /// <summary>Records a refused call.</summary>
    public void Rejected(string reason) => rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Records a policy change.</summary>
    public void PolicyChanged(string operation) => policyChanges.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
