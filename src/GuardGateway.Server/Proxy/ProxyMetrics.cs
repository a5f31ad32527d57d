using System.Diagnostics.Metrics;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// Proxy instruments (meter <c>GuardGateway.Proxy</c>, exported at <c>/metrics</c>): streams by outcome, stream checks,
/// characters released and withheld (read from the <see cref="StreamModerator"/>'s counters at scrape time), and the
/// time to first released text added by verify-then-release.
/// </summary>
internal sealed class ProxyMetrics : IDisposable
{
    private readonly Meter meter;
    private readonly Histogram<double> firstRelease;

    public ProxyMetrics(IMeterFactory factory, StreamModerator streams)
    {
        meter = factory.Create("GuardGateway.Proxy");
        var counters = streams.Counters;
        meter.CreateObservableCounter("guardgateway.stream.streams", () => new[]
        {
            new Measurement<long>(counters.StreamsCompleted, new KeyValuePair<string, object?>("outcome", "completed")),
            new Measurement<long>(counters.StreamsBlocked, new KeyValuePair<string, object?>("outcome", "blocked")),
            new Measurement<long>(counters.StreamsFailed, new KeyValuePair<string, object?>("outcome", "failed")),
            new Measurement<long>(counters.StreamsCancelled, new KeyValuePair<string, object?>("outcome", "cancelled")),
        }, "{stream}", "Moderated streams that ended, by outcome.");
        meter.CreateObservableCounter("guardgateway.stream.checks", () => counters.ChecksRun, "{check}", "Guard checks run on streamed answers.");
        meter.CreateObservableCounter("guardgateway.stream.checks_failed_open", () => counters.ChecksFailedOpen, "{check}", "Stream checks without a verdict that a fail-open policy let through.");
        meter.CreateObservableCounter("guardgateway.stream.chars_released", () => counters.CharsReleased, "{char}", "Streamed characters released after a passing check.");
        meter.CreateObservableCounter("guardgateway.stream.chars_withheld", () => counters.CharsWithheld, "{char}", "Streamed characters never released (blocked, failed or cancelled streams).");
        meter.CreateObservableGauge("guardgateway.stream.chars_held", () => counters.CharsHeld, "{char}", "Streamed characters received and waiting for a check now.");
        firstRelease = meter.CreateHistogram(
            "guardgateway.stream.first_release_delay",
            "s",
            "Time from the first upstream text to the first released text of a stream (the time to first token verify-then-release adds).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    /// <summary>Records a stream's end figures.</summary>
    public void StreamEnded(ModeratedStreamEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (end.Stats.FirstReleaseDelay is { } delay)
        {
            firstRelease.Record(delay.TotalSeconds);
        }
    }

    public void Dispose() => meter.Dispose();
}
