namespace GuardGateway.Server.Connections;

/// <summary>
/// Lets one warning through per interval and counts the ones held back, which the next warning reports. An attacker
/// who reconnects after every abort (measured: ~700 connections/s) would otherwise write a warning per connection and
/// turn the log into the next thing to flood; every abort is still counted in the metric.
/// </summary>
internal sealed class WarningThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _lastLogged;
    private bool _anyLogged;
    private int _heldBack;

    /// <summary>
    /// True when this occurrence may be logged; <paramref name="heldBackBefore"/> is then how many were held back since
    /// the last logged one.
    /// </summary>
    public bool TryPass(out int heldBackBefore)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_anyLogged && time.GetElapsedTime(_lastLogged, now) < interval)
            {
                _heldBack++;
                heldBackBefore = 0;
                return false;
            }

            _anyLogged = true;
            _lastLogged = now;
            heldBackBefore = _heldBack;
            _heldBack = 0;
            return true;
        }
    }
}
