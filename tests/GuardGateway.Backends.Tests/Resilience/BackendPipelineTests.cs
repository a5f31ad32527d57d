using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Resilience;
using GuardGateway.Backends.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Registry;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;

namespace GuardGateway.Backends.Tests.Resilience;

public sealed class BackendPipelineTests
{
    [Fact]
    public async Task Pipeline_ProductionRegistration_LimiterTotalTimeoutRetryBreakerAttemptTimeoutAndNoChaos()
    {
        await using var harness = BackendHarness.Create("http://127.0.0.1:9", BackendKind.OpenAi, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(7);
            o.TotalTimeout = TimeSpan.FromSeconds(21);
        });
        var pipeline = harness.Services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(BackendPipeline.Key("test"));

        var strategies = pipeline.GetPipelineDescriptor().Strategies;

        Assert.Collection(
            strategies,
            s => Assert.IsType<RateLimiterStrategyOptions>(s.Options),
            s => Assert.Equal(TimeSpan.FromSeconds(21), Assert.IsType<TimeoutStrategyOptions>(s.Options).Timeout),
            s => Assert.Equal(2, Assert.IsType<RetryStrategyOptions>(s.Options).MaxRetryAttempts),
            s => Assert.IsType<CircuitBreakerStrategyOptions>(s.Options),
            s => Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<TimeoutStrategyOptions>(s.Options).Timeout));
        Assert.DoesNotContain(strategies, s => s.Options?.GetType().Namespace?.StartsWith("Polly.Simmy", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Pipeline_EachBackend_HasItsOwnPipelineAndBreaker()
    {
        var first = new BackendOptions { Name = "one", Kind = BackendKind.OpenAi, Url = "http://127.0.0.1:9" };
        first.Models.Add("a");
        var second = new BackendOptions { Name = "two", Kind = BackendKind.KServe, Url = "http://127.0.0.1:9" };
        second.Models.Add("*");
        await using var harness = BackendHarness.Create([first, second]);
        var provider = harness.Services.GetRequiredService<ResiliencePipelineProvider<string>>();

        var one = provider.GetPipeline(BackendPipeline.Key("one"));
        var two = provider.GetPipeline(BackendPipeline.Key("two"));

        Assert.NotSame(one, two);
        Assert.NotSame(one.GetPipelineDescriptor().Strategies[3].StrategyInstance, two.GetPipelineDescriptor().Strategies[3].StrategyInstance);
    }
}
