using System.Diagnostics;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>
/// RELIABILITY.md T1, the deadline half: <c>Guard:Classifier:Timeout</c> bounds the whole classification (the wait for
/// a limiter permit included), and the answer never waits for a classifier that ignores cancellation. Bounds are far
/// below what the old behaviour took (the release of a deaf run / a second deadline) and far above scheduling noise.
/// </summary>
public sealed class ClassifierDeadlineTests
{
    [Fact]
    public async Task Moderate_ClassifierIgnoresCancellation_NoVerdictAtDeadlineAndRunStillCounted()
    {
        var deaf = new DeafClassifier();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            ModelSource = new FakeModelSource(deaf),
            Configuration = { ["Guard:Classifier:Timeout"] = "00:00:00.300" },
        });
        await host.WaitForModelAsync();

        var started = Stopwatch.GetTimestamp();
        var call = host.Moderation.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client)).ResponseAsync;

        // Before the fix the answer waited for the run: it would only come after Release (here: never within 10 s).
        var first = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(10)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var whileRunning = await host.Http.GetStringAsync("/metrics");
        var runningAfterAnswer = deaf.Running;
        deaf.Release();
        var response = await call;
        var afterRelease = await ScrapeUntilAsync(host, "guardgateway_classifier_abandoned{otel_scope_name=\"GuardGateway.Server\"} 0");

        Assert.Same(call, first);
        Assert.Equal(Decision.Block, response.Decision); // the late "safe" is never used
        Assert.True(response.NoVerdict);
        Assert.False(response.FailedOpen);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"answered after {elapsed.TotalMilliseconds:0} ms (deadline 300 ms)");
        Assert.Equal(1, runningAfterAnswer);
        Assert.Contains("guardgateway_classifier_abandoned{otel_scope_name=\"GuardGateway.Server\"} 1", whileRunning, StringComparison.Ordinal);
        Assert.Contains("guardgateway_classifier_pending{otel_scope_name=\"GuardGateway.Server\"} 1", whileRunning, StringComparison.Ordinal);
        Assert.Contains("guardgateway_classifier_abandoned{otel_scope_name=\"GuardGateway.Server\"} 0", afterRelease, StringComparison.Ordinal);
        Assert.Contains("guardgateway_classifier_pending{otel_scope_name=\"GuardGateway.Server\"} 0", afterRelease, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_AbandonedRunsAtLimit_NewCallsRefusedAtOnceUntilTheyReturn()
    {
        var deaf = new DeafClassifier();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            ModelSource = new FakeModelSource(deaf),
            Configuration = { ["Guard:Classifier:Timeout"] = "00:00:00.200", ["Guard:Classifier:MaxConcurrentCalls"] = "1" },
        });
        await host.WaitForModelAsync();

        ModerateResponse abandoned, refused;
        TimeSpan refusedAfter;
        int runningBeforeRelease;
        try
        {
            abandoned = await host.Moderation.ModerateAsync(Conversations.Input("first"), GatewayHost.With(TestKeys.Client)).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(10));
            var started = Stopwatch.GetTimestamp();
            refused = await host.Moderation.ModerateAsync(Conversations.Input("second"), GatewayHost.With(TestKeys.Client)).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(10));
            refusedAfter = Stopwatch.GetElapsedTime(started);
            runningBeforeRelease = deaf.Running;
        }
        finally
        {
            deaf.Release(); // never leave the host's requests hanging on a failed assertion
        }

        for (var i = 0; i < 500 && deaf.Running > 0; i++)
        {
            await Task.Delay(10);
        }

        var afterRelease = await host.Moderation.ModerateAsync(Conversations.Input("third"), GatewayHost.With(TestKeys.Client));
        var metrics = await host.Http.GetStringAsync("/metrics");

        Assert.True(abandoned.NoVerdict);
        Assert.Equal(Decision.Block, refused.Decision);
        Assert.True(refused.NoVerdict);
        Assert.Equal(1, runningBeforeRelease); // the second call never reached the deaf classifier
        Assert.True(refusedAfter < TimeSpan.FromSeconds(2), $"refusal took {refusedAfter.TotalMilliseconds:0} ms");
        Assert.Contains("reason=\"QueueFull\"", metrics, StringComparison.Ordinal);
        Assert.Equal(Decision.Allow, afterRelease.Decision); // released: classifications run again
    }

    [Fact]
    public async Task Moderate_QueuedBehindStalledCall_DeadlineIncludesPermitWait()
    {
        var stalling = new StallingClassifier();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            ModelSource = new FakeModelSource(stalling),
            Configuration =
            {
                ["Guard:Classifier:Timeout"] = "00:00:02",
                ["Guard:Classifier:MaxConcurrentCalls"] = "1",
                ["Guard:Classifier:QueueLimit"] = "1",
            },
        });
        await host.WaitForModelAsync();

        var holding = host.Moderation.ModerateAsync(Conversations.Input("first"), GatewayHost.With(TestKeys.Client)).ResponseAsync;
        await stalling.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        var started = Stopwatch.GetTimestamp();
        var queued = await host.Moderation.ModerateAsync(Conversations.Input("second"), GatewayHost.With(TestKeys.Client));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await holding;

        // With the limiter outside the timeout, the queued call got the permit when the first timed out (~2 s) and then
        // started its own 2 s deadline (~4 s). Now its one deadline covers the wait: <= 2 s, asserted with 1.5 s slack.
        Assert.True(queued.NoVerdict);
        Assert.Equal(Decision.Block, queued.Decision);
        Assert.True(elapsed < TimeSpan.FromSeconds(3.5), $"queued call answered after {elapsed.TotalMilliseconds:0} ms (deadline 2 s)");
    }

    /// <summary>Scrapes /metrics until it contains <paramref name="line"/> (the exporter caches scrapes briefly), at most 10 s.</summary>
    private static async Task<string> ScrapeUntilAsync(GatewayHost host, string line)
    {
        var metrics = await host.Http.GetStringAsync("/metrics");
        for (var i = 0; i < 100 && !metrics.Contains(line, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            metrics = await host.Http.GetStringAsync("/metrics");
        }

        return metrics;
    }
}
