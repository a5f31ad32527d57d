using System.Diagnostics.Metrics;
using GuardGateway.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>
/// Reads one host's <c>GuardGateway.Server</c> instruments on demand through a <see cref="MeterListener"/>: the gauge
/// callbacks themselves, without the Prometheus exporter's scrape cache in between.
/// </summary>
internal sealed class ServerGauges : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly Dictionary<string, long> latest = [];
    private readonly Lock sync = new();

    public ServerGauges(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GuardMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (sync)
            {
                latest[instrument.Name] = value;
            }
        });
        listener.Start();
    }

    /// <summary>The instrument's current value (observable ones are polled now); null when it never reported.</summary>
    public long? Read(string name)
    {
        listener.RecordObservableInstruments();
        lock (sync)
        {
            return latest.TryGetValue(name, out var value) ? value : null;
        }
    }

    public void Dispose() => listener.Dispose();
}
