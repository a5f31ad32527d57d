using System.Diagnostics;
using GuardGateway.Core.TextSafety;
using GuardGateway.Inference.Engine;
using GuardGateway.Server.Model;
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
    private readonly Counter<long> http2Aborted;
    private readonly Histogram<double> moderationDuration;
    private readonly Histogram<double> classifyDuration;
    private readonly Histogram<double> queueDuration;

    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    private readonly UpDownCounter<long> inFlight;

    public GuardMetrics(IMeterFactory meterFactory, GuardModelState model, ServingClassifier serving, TextSafetyCounters textSafety)
    {
        var meter = meterFactory.Create(MeterName);
        CreateTextSafetyInstruments(meter, textSafety);
        inFlight = meter.CreateUpDownCounter<long>("guardgateway.requests.in_flight", "{call}", "Moderation calls being handled (bounded by Limits:MaxConcurrentRequests).");
        CreateEngineInstruments(meter, model);
        meter.CreateObservableGauge("guardgateway.classifier.pending", () => (long)serving.Pending, "{request}", "Classifications submitted to the engine and not yet finished (its queue, the running batch, and runs abandoned at their deadline).");
        meter.CreateObservableGauge("guardgateway.classifier.abandoned", () => (long)serving.Abandoned, "{request}", "Classifications answered no-verdict at their deadline whose run has not returned yet (a classifier ignoring cancellation).");
        decisions = meter.CreateCounter<long>("guardgateway.decisions", "{decision}", "Moderation decisions by decision, direction and policy.");
        categoryReports = meter.CreateCounter<long>("guardgateway.category.reports", "{report}", "Categories the guard reported, by category code and the action applied.");
        failOpen = meter.CreateCounter<long>("guardgateway.fail_open", "{decision}", "Decisions let through without a verdict because the policy fails open.");
        noVerdict = meter.CreateCounter<long>("guardgateway.no_verdict", "{decision}", "Decisions made without a verdict (classifier error, timeout, queue full, parse failure), by reason.");
        rejected = meter.CreateCounter<long>("guardgateway.rejected", "{call}", "Calls refused before moderation, by reason.");
        http2Aborted = meter.CreateCounter<long>("guardgateway.http2.connections_aborted", "{connection}", "HTTP/2 connections the server aborted for abuse (Http2Guard), by reason.");
        policyChanges = meter.CreateCounter<long>("guardgateway.policy.changes", "{change}", "Policy changes through the admin API, by operation.");
        moderationDuration = meter.CreateHistogram("guardgateway.moderation.duration", "s", "Server-side time of one moderation, by decision.", advice: SecondsBuckets);
        classifyDuration = meter.CreateHistogram("guardgateway.classify.duration", "s", "Classifier time of one moderation (queue, prefill and decode).", advice: SecondsBuckets);
        queueDuration = meter.CreateHistogram("guardgateway.classify.queue_duration", "s", "Time a classification waited in the inference queue.", advice: SecondsBuckets);
    }

    /// <summary>Records an HTTP/2 connection aborted for abuse (reason: e.g. <c>ping_flood</c>).</summary>
    public void Http2ConnectionAborted(string reason) => http2Aborted.Add(1, new KeyValuePair<string, object?>("reason", reason));

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

    /// <summary>Tracks a moderation call entering (+1) or leaving (-1).</summary>
    public void InFlight(int delta) => inFlight.Add(delta);

    /// <summary>Records a policy change.</summary>
    public void PolicyChanged(string operation) => policyChanges.Add(1, new KeyValuePair<string, object?>("operation", operation));

    // What the engine exposes (OnnxGuardClassifier.Statistics), read at scrape time. Batch size = rate of
    // batched requests over rate of batches; queue depth comes from guardgateway.classifier.pending.
    private static void CreateEngineInstruments(Meter meter, GuardModelState model)
    {
        meter.CreateObservableCounter("guardgateway.engine.batches", () => Engine(model)?.Batches ?? 0L, "{batch}", "Batched forward passes the engine ran.");
        meter.CreateObservableCounter("guardgateway.engine.batched_requests", () => Engine(model)?.BatchedRequests ?? 0L, "{request}", "Classifications that went through those batches.");
        meter.CreateObservableGauge("guardgateway.engine.largest_batch", () => (long)(Engine(model)?.LargestBatch ?? 0), "{request}", "The largest batch so far.");
        meter.CreateObservableCounter("guardgateway.engine.prefill_tokens", () => Engine(model)?.PrefillTokens ?? 0L, "{token}", "Prompt tokens run through the model (cached prefixes excluded).");
        meter.CreateObservableCounter("guardgateway.engine.prefix_cache.hits", () => Engine(model)?.PrefixCacheHits ?? 0L, "{request}", "Classifications whose prompt prefix came from the cache.");
        meter.CreateObservableCounter("guardgateway.engine.prefix_cache.misses", () => Engine(model)?.PrefixCacheMisses ?? 0L, "{request}", "Classifications whose prompt prefix was computed.");
        meter.CreateObservableGauge("guardgateway.engine.active_runs", () => (long)((model.Classifier as OnnxGuardClassifier)?.ActiveRuns ?? 0), "{run}", "ONNX Runtime forward passes executing now; 0 when idle (a cancelled call leaves no orphaned run).");
        meter.CreateObservableCounter("guardgateway.engine.runs_terminated", () => (model.Classifier as OnnxGuardClassifier)?.TerminatedRuns ?? 0L, "{run}", "Forward passes stopped with RunOptions.Terminate because every caller of the batch cancelled (or on shutdown).");
        meter.CreateObservableCounter("guardgateway.engine.queue_rejections", () => Engine(model)?.QueueRejections ?? 0L, "{request}", "Classifications rejected because the inference queue was full.");
    }

    // The moderation pipeline's input-defense counters (RELIABILITY.md T6, T7), read at scrape time.
    // silent_truncation must stay 0: it only moves on a bug path that also refuses the request.
    private static void CreateTextSafetyInstruments(Meter meter, TextSafetyCounters counters)
    {
        meter.CreateObservableCounter("guardgateway.text.stripped_chars", () => counters.StrippedChars, "{char}", "Format, tag and bidi characters stripped before the normalized classification.");
        meter.CreateObservableCounter("guardgateway.text.folded_chars", () => counters.FoldedChars, "{char}", "Lookalike and accented characters folded to Latin.");
        meter.CreateObservableCounter("guardgateway.text.defused_patterns", () => counters.DefusedPatterns, "{pattern}", "Template look-alikes (markers, role lines, special-token literals) neutralized.");
        meter.CreateObservableCounter("guardgateway.text.variant_classifications", () => counters.VariantClassifications, "{classification}", "Extra classifications of a normalized/neutralized copy.");
        meter.CreateObservableCounter("guardgateway.text.variant_decided", () => counters.VariantDecided, "{decision}", "Decisions where the normalized/neutralized copy was the stricter one.");
        meter.CreateObservableCounter("guardgateway.text.chunks", () => counters.Chunks, "{chunk}", "Chunks classified for over-limit messages.");
        meter.CreateObservableCounter("guardgateway.text.long_input_rejected", () => counters.LongInputRejected, "{request}", "Over-limit messages refused (never truncated).");
        meter.CreateObservableCounter("guardgateway.text.unpaired_surrogate_rejected", () => counters.UnpairedSurrogateRejected, "{request}", "Requests refused for invalid UTF-16.");
        meter.CreateObservableCounter("guardgateway.text.unsupported_language", () => counters.UnsupportedLanguage, "{decision}", "Assessed messages in a language Llama Guard 3 does not support.");
        meter.CreateObservableCounter("guardgateway.silent_truncation", () => counters.SilentTruncations, "{request}", "Input classified only in part. Must stay 0.");
    }

    private static GuardEngineStatistics? Engine(GuardModelState model) => (model.Classifier as OnnxGuardClassifier)?.Statistics;
}
