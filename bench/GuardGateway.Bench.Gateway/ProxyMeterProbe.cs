using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GuardGateway.Bench.Gateway;

/// <summary>
/// Listens in process to the gateway's <c>GuardGateway.Proxy</c> meter: every recorded
/// <c>guardgateway.stream.first_release_delay</c> (exported as <c>guardgateway_stream_first_release_delay_seconds</c>)
/// and the cumulative <c>guardgateway.stream.checks</c> counter.
/// </summary>
internal sealed class ProxyMeterProbe : IDisposable
{
    private const string MeterName = "GuardGateway.Proxy";
    private const string DelayName = "guardgateway.stream.first_release_delay";
    private const string ChecksName = "guardgateway.stream.checks";

    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<double> delays = new();
    private long checks;

    public ProxyMeterProbe()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is DelayName or ChecksName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => delays.Enqueue(value));
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Volatile.Write(ref checks, value));
        listener.Start();
    }

    /// <summary>The guard checks run on streamed answers so far by the current gateway.</summary>
    public long Checks()
    {
        listener.RecordObservableInstruments();
        return Volatile.Read(ref checks);
    }

    /// <summary>The first-release delays (ms) recorded since the last call.</summary>
    public IReadOnlyList<double> TakeDelaysMs()
    {
        var taken = new List<double>();
        while (delays.TryDequeue(out var seconds))
        {
            taken.Add(seconds * 1000);
        }

        return taken;
    }

    public void Dispose() => listener.Dispose();
}
