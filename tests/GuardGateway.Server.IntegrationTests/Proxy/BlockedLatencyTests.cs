using System.Diagnostics;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Proxy;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// RELIABILITY.md T20: the block-latency floor (<c>Proxy:BlockedLatency</c>). A content-blocked input is held until it
/// is as old as a recent allowed call (and the floor), capped by Max; the bench measures the resulting AUC
/// (bench/GuardGateway.Bench.Load timing).
/// </summary>
public sealed class BlockedLatencyTests
{
    [Fact]
    public async Task ChatCompletions_BlockedInputWithFloor_AnsweredNoSoonerThanTheFloor()
    {
        await using var gateway = await ProxyGateway.StartAsync(configuration: new()
        {
            ["Proxy:BlockedLatency:Floor"] = "00:00:00.400",
            ["Proxy:BlockedLatency:MatchAllowed"] = "false",
        });

        var clock = Stopwatch.StartNew();
        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("canary-violence now"));
        var json = await ReadAsync(response);
        var elapsed = clock.Elapsed;

        Assert.Equal("content_filter", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(400), $"blocked answer after {elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public void Target_MatchAllowed_DrawsFromRecentAllowedLatenciesWithinFloorAndMax()
    {
        var clock = new ManualClock();
        var shaper = Shaper(clock, new BlockedLatencyOptions { Floor = TimeSpan.FromMilliseconds(100), Max = TimeSpan.FromSeconds(1), Window = 4 });
        Assert.Equal(TimeSpan.FromMilliseconds(100), shaper.Target()); // nothing allowed yet: the floor

        foreach (var ms in new[] { 50, 300, 700, 5_000 })
        {
            var started = clock.GetTimestamp();
            clock.Advance(TimeSpan.FromMilliseconds(ms));
            shaper.RecordAllowed(started);
        }

        var targets = Enumerable.Range(0, 400).Select(_ => shaper.Target()).ToHashSet();
        // 50 ms is raised to the floor, 5 s capped at Max; every remembered latency is drawn.
        Assert.Equal(new HashSet<TimeSpan> { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(1) }, targets);
    }

    [Fact]
    public void Target_WindowFull_ForgetsTheOldest()
    {
        var clock = new ManualClock();
        var shaper = Shaper(clock, new BlockedLatencyOptions { Window = 2, Max = TimeSpan.FromSeconds(10) });
        foreach (var ms in new[] { 900, 200, 300 })
        {
            var started = clock.GetTimestamp();
            clock.Advance(TimeSpan.FromMilliseconds(ms));
            shaper.RecordAllowed(started);
        }

        var targets = Enumerable.Range(0, 200).Select(_ => shaper.Target()).ToHashSet();
        Assert.Equal(new HashSet<TimeSpan> { TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300) }, targets);
    }

    [Fact]
    public void Target_MatchAllowedOff_OnlyTheFloor()
    {
        var clock = new ManualClock();
        var shaper = Shaper(clock, new BlockedLatencyOptions { MatchAllowed = false, Floor = TimeSpan.FromMilliseconds(250) });
        var started = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(1));
        shaper.RecordAllowed(started);

        Assert.Equal(TimeSpan.FromMilliseconds(250), shaper.Target());
    }

    [Fact]
    public void RecordLateness_RunningMean_ConvergesAndIsBounded()
    {
        var shaper = Shaper(new ManualClock(), new BlockedLatencyOptions());
        for (var i = 0; i < 200; i++)
        {
            shaper.RecordLateness(TimeSpan.FromMilliseconds(4));
        }

        Assert.InRange(shaper.Lateness.TotalMilliseconds, 3.9, 4.0);
        for (var i = 0; i < 400; i++)
        {
            shaper.RecordLateness(TimeSpan.FromSeconds(5)); // a stall is clamped, not learned
        }

        Assert.InRange(shaper.Lateness.TotalMilliseconds, 99, 100);
        shaper.RecordLateness(TimeSpan.FromMilliseconds(-3)); // an early wake counts as 0
        Assert.True(shaper.Lateness < TimeSpan.FromMilliseconds(100));
    }

    private static BlockedLatencyShaper Shaper(TimeProvider clock, BlockedLatencyOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(new ProxyOptions { BlockedLatency = options }), clock);

    /// <summary>A clock that moves only when told (timestamps in ticks).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => now;

        public void Advance(TimeSpan by) => now += by.Ticks;
    }
}
