using GuardGateway.Server.Connections;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Server.IntegrationTests.Connections;

/// <summary>One PING-flood warning per interval however fast connections are aborted; the next one counts the rest.</summary>
public sealed class WarningThrottleTests
{
    [Fact]
    public void TryPass_BurstWithinInterval_OnlyFirstPassesAndNextCountsHeldBack()
    {
        var time = new FakeTimeProvider();
        var throttle = new WarningThrottle(time, TimeSpan.FromSeconds(10));

        Assert.True(throttle.TryPass(out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 700; i++)
        {
            Assert.False(throttle.TryPass(out _));
            time.Advance(TimeSpan.FromMilliseconds(9));
        }

        // 6.3 s later: still inside the interval.
        Assert.False(throttle.TryPass(out _));
        time.Advance(TimeSpan.FromSeconds(3.7));
        Assert.True(throttle.TryPass(out var heldBack));
        Assert.Equal(701, heldBack);
        Assert.False(throttle.TryPass(out _));
    }

    [Fact]
    public void TryPass_SparseEvents_EveryOnePassesWithNothingHeldBack()
    {
        var time = new FakeTimeProvider();
        var throttle = new WarningThrottle(time, TimeSpan.FromSeconds(10));

        for (var i = 0; i < 5; i++)
        {
            Assert.True(throttle.TryPass(out var heldBack));
            Assert.Equal(0, heldBack);
            time.Advance(TimeSpan.FromSeconds(10));
        }
    }
}
