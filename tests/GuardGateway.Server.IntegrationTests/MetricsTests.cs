using GuardGateway.Server.IntegrationTests.Infrastructure;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>Prometheus text at /metrics.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterDecisions_ExposesDecisionAndCategoryCounters()
    {
        await using var host = await GatewayHost.StartAsync();
        await host.Moderation.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client));
        await host.Moderation.ModerateAsync(Conversations.Input("canary-violence"), GatewayHost.With(TestKeys.Client));

        var response = await host.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE guardgateway_decisions_total counter", text, StringComparison.Ordinal);
        Assert.Contains("decision=\"block\"", text, StringComparison.Ordinal);
        Assert.Contains("decision=\"allow\"", text, StringComparison.Ordinal);
        Assert.Contains("guardgateway_category_reports_total{", text, StringComparison.Ordinal);
        Assert.Contains("category=\"S1\"", text, StringComparison.Ordinal);
        Assert.Contains("guardgateway_moderation_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", text, StringComparison.Ordinal);
    }
}
