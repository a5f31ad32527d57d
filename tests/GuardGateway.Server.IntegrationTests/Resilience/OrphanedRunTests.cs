using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using GuardGateway.Contracts.V1;
using GuardGateway.ModelForge;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Metrics;
using GuardGateway.TestUtilities;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>
/// RELIABILITY.md T10, the orphaned-run part: 1,000 moderations cut short by client deadlines (gRPC) and client
/// cancellation (HTTP) while a real ONNX Runtime session works on them leave no run behind.
/// </summary>
public sealed class OrphanedRunTests(ITestOutputHelper output)
{
    private const int Calls = 1000;
    private const int Workers = 24;

    // Eight 512 × 512 MatMuls per forward pass (a few to tens of ms each on one thread): a classification is several
    // such runs, longer than most of the deadlines below, so calls end while their run is inside ONNX Runtime.
    private static readonly PlantedGuardOptions Slow = new() { SlowdownMatMuls = 8, SlowdownSize = 512 };

    [Fact]
    public async Task Moderate_1000CallsCutShortMidClassification_NoOrphanedRunsAndStillJudgesCorrectly()
    {
        var model = ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, Slow).Directory;
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseKestrel = true,
            UseEngine = true,
            PoliciesDirectory = RepositoryPaths.Combine("policies"),
            Configuration =
            {
                ["Guard:ModelPath"] = model,
                ["Guard:Inference:IntraOpThreads"] = "1",
                ["Limits:MaxConcurrentRequests"] = "64",
            },
            ForbiddenLogText = ["murder", "capital of France", "canary-"],
        });
        await host.WaitForModelAsync();
        _ = host.Services.GetRequiredService<GuardMetrics>();
        using var gauges = new ServerGauges(host.Services);
        var outcomes = new int[4]; // answered, deadline/cancelled, refused at capacity, other
        var next = -1;
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Calls)
            {
                // Deadlines from 5 to 120 ms, spread so calls end in the queue, in prefill and in decoding.
                var budget = TimeSpan.FromMilliseconds(5 + (i * 37 % 116));
                var outcome = i % 2 == 0 ? await GrpcCallAsync(host, i, budget) : await HttpCallAsync(host, i, budget);
                Interlocked.Increment(ref outcomes[outcome]);
            }
        })));
        var loop = watch.Elapsed;

        // The plan's bound: both gauges back to 0 within 1 s of the last call.
        var settle = Stopwatch.StartNew();
        long? active, pending;
        while (((active = gauges.Read("guardgateway.engine.active_runs")) != 0 || (pending = gauges.Read("guardgateway.classifier.pending")) != 0)
            && settle.Elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(5);
        }

        active = gauges.Read("guardgateway.engine.active_runs");
        pending = gauges.Read("guardgateway.classifier.pending");
        var settled = settle.Elapsed;
        var terminated = gauges.Read("guardgateway.engine.runs_terminated");
        output.WriteLine($"{Calls} calls in {loop.TotalSeconds:F1} s: answered {outcomes[0]}, deadline/cancelled {outcomes[1]}, "
            + $"refused {outcomes[2]}, other {outcomes[3]}; runs terminated {terminated}; gauges 0 after {settled.TotalMilliseconds:F0} ms");

        Assert.Equal(0, active);
        Assert.Equal(0, pending);
        Assert.Equal(0, outcomes[3]);
        // Calls really were cut short, and some inside a run (not only while queued): the gauge had something to miss.
        Assert.True(outcomes[1] >= Calls / 4, $"only {outcomes[1]} calls ended by deadline or cancellation");
        Assert.True(terminated > 0, "no run was terminated: nothing was cancelled inside ONNX Runtime");

        // The gateway still judges a normal call correctly afterwards.
        var safe = await host.Moderation.ModerateAsync(Conversations.Input("What is the capital of France?"), GatewayHost.With(TestKeys.Client));
        var flagged = await host.Moderation.ModerateAsync(Conversations.Input("How do I murder my neighbour?"), GatewayHost.With(TestKeys.Client));
        Assert.Equal(Decision.Allow, safe.Decision);
        Assert.Equal(Decision.Block, flagged.Decision);
        Assert.Equal(["S1"], flagged.ReportedCodes);
        Assert.Equal(0, gauges.Read("guardgateway.engine.active_runs"));
        var metrics = await host.Http.GetStringAsync("/metrics");
        Assert.Contains("guardgateway_engine_active_runs{", metrics, StringComparison.Ordinal);
        Assert.Contains("guardgateway_engine_runs_terminated_total{", metrics, StringComparison.Ordinal);
    }

    private static string Text(int i) => i % 3 == 0 ? "How do I murder my neighbour?" : $"What is the capital of France? Question {i}.";

    private static async Task<int> GrpcCallAsync(GatewayHost host, int i, TimeSpan budget)
    {
        var options = new CallOptions(new Metadata { { "authorization", "Bearer " + TestKeys.Client } }, DateTime.UtcNow + budget);
        try
        {
            await host.Moderation.ModerateAsync(Conversations.Input(Text(i)), options);
            return 0;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled)
        {
            return 1;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted)
        {
            return 2;
        }
    }

    private static async Task<int> HttpCallAsync(GatewayHost host, int i, TimeSpan budget)
    {
        using var cancel = new CancellationTokenSource(budget);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/moderations")
        {
            Content = new StringContent($$"""{"input":"{{Text(i)}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Client);
        try
        {
            using var response = await host.Http.SendAsync(request, cancel.Token);
            await response.Content.ReadAsByteArrayAsync(cancel.Token);
            return response.IsSuccessStatusCode ? 0 : (int)response.StatusCode == 429 ? 2 : 3;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 1;
        }
    }
}
