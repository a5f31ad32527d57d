using System.Collections.Concurrent;
using System.Diagnostics;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;
using Xunit.Abstractions;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>
/// RELIABILITY.md T17, parallel: evaluations racing with policy updates (admin puts and disk edit + reload).
/// Two versions of the default policy differ in S1's prompt text (what the guard is asked), S1's action (what
/// the evaluator does) and the reported version; an evaluation built from a half-applied or mixed policy would
/// pair one version's prompt with the other's action or tag. 0 such evaluations over 10,000 racing runs.
/// </summary>
public sealed class PolicyStoreParallelTests(ITestOutputHelper output) : IDisposable
{
    private const int Evaluations = 10_000;

    // Enough distinct versions for the evaluations to actually straddle many swaps.
    private const int MinimumUpdates = 100;

    private static readonly string[] Texts =
    [
        PolicyTexts.Minimal("default", s1: "block", s1Prompt: "Violent Crimes."),
        PolicyTexts.Minimal("default", s1: "flag", s1Prompt: "Violence."),
    ];

    private static readonly (string Prompt, ModerationAction Action)[] Expected =
    [
        ("Violent Crimes.", ModerationAction.Block),
        ("Violence.", ModerationAction.Flag),
    ];

    private readonly StoreFixture _fixture = new();

    [Fact]
    public async Task Evaluate_RacingWithUpdatePolicy_EveryVerdictTaggedWithOneWholeVersion()
    {
        _fixture.Directory.Write("default.yaml", Texts[0]);
        using var store = await _fixture.LoadedStoreAsync();
        var versions = new ConcurrentDictionary<string, int>(StringComparer.Ordinal) { [store.Current.Find("default")!.Version] = 0 };
        var pipeline = new ModerationPipeline(new PromptEchoClassifier());
        var observed = new ConcurrentQueue<ModerationDecision>();
        var evaluated = 0;
        var updates = 0;
        using var stop = new CancellationTokenSource();

        // Bounded by work (10,000 evaluations while updates run, at least 100 updates); the clock is only a
        // safety cap so a wedged run fails instead of hanging.
        var safety = Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            for (var flip = 1; !stop.IsCancellationRequested && safety.Elapsed < TimeSpan.FromSeconds(60); flip++)
            {
                var variant = flip % 2;

                // A new load time per update: every update publishes a version never seen before.
                _fixture.Time.Advance(TimeSpan.FromSeconds(1));
                if (flip % 5 == 0)
                {
                    _fixture.Directory.Write("default.yaml", Texts[variant]);
                    Assert.True((await store.ReloadAsync()).Succeeded);
                }
                else
                {
                    Assert.True((await store.PutPolicyAsync("default", Texts[variant], PolicyVersions.Any, "racer", CancellationToken.None)).IsSuccess);
                }

                versions[store.Current.Find("default")!.Version] = variant;
                Interlocked.Increment(ref updates);
            }
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while ((Volatile.Read(ref evaluated) < Evaluations || Volatile.Read(ref updates) < MinimumUpdates) && safety.Elapsed < TimeSpan.FromSeconds(60))
            {
                // One snapshot read per evaluation, as the server does.
                var policy = store.Current.Select(new PolicySelectionRequest()).Value!;
                var decision = await pipeline.ModerateAsync([new ChatMessage(ChatRole.User, "hello")], policy, ModerationDirection.Input, CancellationToken.None);
                observed.Enqueue(decision.Value!);
                Interlocked.Increment(ref evaluated);
            }
        })).ToArray();

        await Task.WhenAll(readers);
        await stop.CancelAsync();
        await writer;

        var mixed = observed.Count(d => !versions.TryGetValue(d.PolicyVersion, out var which)
            || Expected[which] != (d.Classification!.RawOutput, d.Action));
        output.WriteLine($"{observed.Count} evaluations, {updates} updates, {versions.Count} versions, {observed.Select(d => d.PolicyVersion).Distinct().Count()} seen, {safety.Elapsed.TotalSeconds:0.0} s");
        Assert.True(observed.Count >= Evaluations, $"only {observed.Count} evaluations ran");
        Assert.True(updates >= MinimumUpdates, $"only {updates} updates ran");
        Assert.Equal(0, mixed);
        Assert.True(observed.Select(d => d.PolicyVersion).Distinct().Count() >= 2);
    }

    public void Dispose() => _fixture.Dispose();
}
