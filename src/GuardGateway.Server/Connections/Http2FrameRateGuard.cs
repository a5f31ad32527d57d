using GuardGateway.Server.Logging;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Connections;

/// <summary>
/// Kestrel connection middleware against HTTP/2 PING floods (RELIABILITY.md T14): watches each connection's inbound
/// bytes without changing them (<see cref="ObservingPipeReader"/>), and aborts a cleartext HTTP/2 connection that sends
/// PING frames faster than <see cref="Http2GuardOptions"/> allow. Kestrel itself answers every PING with no limit.
/// </summary>
internal sealed class Http2FrameRateGuard(Http2GuardOptions options, GuardMetrics metrics, ILogger<Http2FrameRateGuard> logger, TimeProvider time)
{
    /// <summary>The metric reason tag (and abort reason) of a PING flood.</summary>
    public const string PingFloodReason = "ping_flood";

    /// <summary>At most one warning per this interval; the next one says how many aborts it held back.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly WarningThrottle _warnings = new(time, WarningInterval);

    /// <summary>The middleware for <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => context => OnConnectionAsync(context, next);

    private async Task OnConnectionAsync(ConnectionContext context, ConnectionDelegate next)
    {
        var transport = context.Transport;
        var watch = new Http2PingWatch(new PingTokenBucket(time, options.PingsPerSecond, options.PingBurst), () => OnFlood(context));
        context.Transport = new ObservedDuplexPipe(new ObservingPipeReader(transport.Input, watch), transport.Output);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
        }
    }

    private void OnFlood(ConnectionContext context)
    {
        metrics.Http2ConnectionAborted(PingFloodReason);
        if (_warnings.TryPass(out var heldBack))
        {
            ServerLog.Http2PingFlood(logger, context.ConnectionId, context.RemoteEndPoint?.ToString() ?? "unknown", options.PingBurst, options.PingsPerSecond, heldBack);
        }

        context.Abort(new ConnectionAbortedException(
            $"HTTP/2 PING flood: more than {options.PingBurst} PINGs at once or {options.PingsPerSecond} per second (Http2Guard)."));
    }
}
