using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.RateLimiting;
using Polly.Registry;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>RELIABILITY.md T22: the production composition of every named pipeline, in one place.</summary>
public sealed class PipelineCompositionTests
{
    [Fact]
    public async Task Pipelines_ProductionConfiguration_OrderIsFixedAndNoChaos()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            Configuration = new()
            {
                ["Guard:Classifier:Timeout"] = "00:00:03",
                ["Guard:Classifier:MaxConcurrentCalls"] = "7",
                ["Guard:Classifier:QueueLimit"] = "2",
                ["Backends:0:Name"] = "up",
                ["Backends:0:Kind"] = "openai",
                ["Backends:0:Url"] = "http://127.0.0.1:9",
                ["Backends:0:Models:0"] = "*",
                ["Backends:0:AttemptTimeout"] = "00:00:04",
                ["Backends:0:TotalTimeout"] = "00:00:09",
            },
        });
        var provider = host.Services.GetRequiredService<ResiliencePipelineProvider<string>>();

        var classifier = provider.GetPipeline<Result<GuardClassification>>(ClassifierPipeline.Key).GetPipelineDescriptor().Strategies;
        var backend = provider.GetPipeline("guardgateway-backend:up").GetPipelineDescriptor().Strategies;

        // Classifier: fallback (no verdict, i.e. block under fail-closed) -> timeout -> limiter (the deadline covers the
        // wait for a permit, RELIABILITY.md T1).
        Assert.Collection(
            classifier,
            s => Assert.IsType<FallbackStrategyOptions<Result<GuardClassification>>>(s.Options),
            s => Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<TimeoutStrategyOptions>(s.Options).Timeout),
            s => Assert.IsType<RateLimiterStrategyOptions>(s.Options));
        // Backends: limiter -> total timeout -> retry -> breaker -> attempt timeout.
        Assert.Collection(
            backend,
            s => Assert.IsType<RateLimiterStrategyOptions>(s.Options),
            s => Assert.Equal(TimeSpan.FromSeconds(9), Assert.IsType<TimeoutStrategyOptions>(s.Options).Timeout),
            s => Assert.IsType<RetryStrategyOptions>(s.Options),
            s => Assert.IsType<CircuitBreakerStrategyOptions>(s.Options),
            s => Assert.Equal(TimeSpan.FromSeconds(4), Assert.IsType<TimeoutStrategyOptions>(s.Options).Timeout));
        Assert.Equal(0, classifier.Concat(backend).Count(IsChaos));
    }

    [Fact]
    public async Task ClassifierFallback_EveryFailure_BecomesNoVerdictNeverSafe()
    {
        var pipeline = new ResiliencePipelineBuilder<Result<GuardClassification>>();
        using var limiter = ClassifierPipeline.Configure(pipeline, new Options.ClassifierOptions { Timeout = TimeSpan.FromMilliseconds(50), MaxConcurrentCalls = 1, QueueLimit = 0 }, TimeProvider.System);
        var built = pipeline.Build();

        var thrown = await built.ExecuteAsync<Result<GuardClassification>>(_ => throw new InvalidOperationException("x"), CancellationToken.None);
        var timedOut = await built.ExecuteAsync(async ct => { await Task.Delay(5000, ct); return default(Result<GuardClassification>)!; }, CancellationToken.None);
        var gate = new TaskCompletionSource<Result<GuardClassification>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = built.ExecuteAsync(_ => new ValueTask<Result<GuardClassification>>(gate.Task), CancellationToken.None).AsTask();
        var rejected = await built.ExecuteAsync(_ => ValueTask.FromResult<Result<GuardClassification>>(new GuardError(GuardErrorCode.ClassifierFailure, "unused")), CancellationToken.None);
        gate.SetResult(new GuardError(GuardErrorCode.ClassifierFailure, "released"));
        await holding;

        Assert.Equal(GuardErrorCode.ClassifierFailure, thrown.Error!.Code);
        Assert.Equal(GuardErrorCode.ClassifierFailure, timedOut.Error!.Code);
        Assert.Contains("Timeout", timedOut.Error.Message, StringComparison.Ordinal);
        Assert.Equal(GuardErrorCode.QueueFull, rejected.Error!.Code);
    }

    [Fact]
    public async Task Start_InvalidClassifierOptions_FailsWithEveryProblem()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayHost.StartAsync(new GatewayHostOptions
        {
            Configuration = new()
            {
                ["Guard:Classifier:Timeout"] = "00:00:00",
                ["Guard:Classifier:MaxConcurrentCalls"] = "0",
                ["Guard:Classifier:QueueLimit"] = "-1",
            },
        }));

        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public async Task Moderate_ClassifierLimitAndQueueFull_RejectedFastAsNoVerdictBlock()
    {
        var stalling = new StallingClassifier();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            ModelSource = new FakeModelSource(stalling),
            Configuration = new()
            {
                ["Guard:Classifier:Timeout"] = "00:00:30",
                ["Guard:Classifier:MaxConcurrentCalls"] = "1",
                ["Guard:Classifier:QueueLimit"] = "0",
            },
        });
        await host.WaitForModelAsync();
        var holding = host.Moderation.ModerateAsync(Conversations.Input("first"), GatewayHost.With(TestKeys.Client)).ResponseAsync;
        await stalling.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rejected = await host.Moderation.ModerateAsync(Conversations.Input("second"), GatewayHost.With(TestKeys.Client));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        stalling.Release();
        await holding;
        var metrics = await host.Http.GetStringAsync("/metrics");

        Assert.Equal(Contracts.V1.Decision.Block, rejected.Decision);
        Assert.True(rejected.NoVerdict);
        Assert.False(rejected.FailedOpen);
        Assert.Contains("reason=\"QueueFull\"", metrics, StringComparison.Ordinal);
        // Rejected at once, not after the 30 s classifier deadline (a generous bound for a loaded 2-core box).
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"rejection took {elapsed.TotalMilliseconds:0} ms");
    }

    internal static bool IsChaos(ResilienceStrategyDescriptor strategy) =>
        strategy.Options?.GetType().Namespace?.StartsWith("Polly.Simmy", StringComparison.Ordinal) == true
        || strategy.StrategyInstance.GetType().Namespace?.StartsWith("Polly.Simmy", StringComparison.Ordinal) == true;
}
