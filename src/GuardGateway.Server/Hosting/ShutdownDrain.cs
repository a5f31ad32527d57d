using GuardGateway.Server.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Hosting;

/// <summary>
/// The drain deadline of moderated streams: <see cref="StreamsEnd"/> is cancelled
/// <c>Shutdown:GraceSeconds − StreamEndMarginSeconds</c> after the host starts stopping, so a stream still open then is
/// ended by the gateway with a shutting-down error rather than cut by the connection abort at the end of the grace
/// (RELIABILITY.md T13: a drained stream never ends as a clean success).
/// </summary>
internal sealed class ShutdownDrain : IDisposable
{
    private readonly CancellationTokenSource streamsEnd;
    private readonly CancellationTokenRegistration stopping;

    public ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<ShutdownOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        streamsEnd = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        var delay = StreamDeadline(options.Value);
        // Runs at once when the host is already stopping.
        stopping = lifetime.ApplicationStopping.Register(() => streamsEnd.CancelAfter(delay));
    }

    /// <summary>Cancelled when the streams still open must be ended (never before the host starts stopping).</summary>
    public CancellationToken StreamsEnd => streamsEnd.Token;

    /// <summary>True when <paramref name="clientToken"/> is not what ended the call: the drain did.</summary>
    public bool EndedByDrain(CancellationToken clientToken) => streamsEnd.IsCancellationRequested && !clientToken.IsCancellationRequested;

    /// <summary>The delay from the stop signal to the end of the remaining streams.</summary>
    public static TimeSpan StreamDeadline(ShutdownOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var margin = Math.Min(options.StreamEndMarginSeconds, options.GraceSeconds / 2);
        return TimeSpan.FromSeconds(options.GraceSeconds - margin);
    }

    public void Dispose()
    {
        stopping.Dispose();
        streamsEnd.Dispose();
    }
}
