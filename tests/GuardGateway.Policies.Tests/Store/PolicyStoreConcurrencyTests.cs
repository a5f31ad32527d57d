using System.Collections.Concurrent;
using System.Diagnostics;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Store;

public sealed class PolicyStoreConcurrencyTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    [Fact]
    public async Task Evaluations_RacingReloadsAndAdminWrites_EachSeesExactlyOneWholePolicyVersion()
    {
        // Two versions of the default policy that differ in S1's prompt text (what the guard is asked) and in
        // its action (what the evaluator does). A decision built from a mix of the two would pair one
        // version's prompt with the other's action or version tag.
        var texts = new[]
        {
            PolicyTexts.Minimal("default", s1: "block", s1Prompt: "Violent Crimes."),
            PolicyTexts.Minimal("default", s1: "flag", s1Prompt: "Violence."),
        };
        var expected = new Dictionary<int, (string Prompt, ModerationAction Action)> { [0] = ("Violent Crimes.", ModerationAction.Block), [1] = ("Violence.", ModerationAction.Flag) };
        _fixture.Directory.Write("default.yaml", texts[0]);
        using var store = await _fixture.LoadedStoreAsync();
        var versions = new ConcurrentDictionary<string, int>
        {
            [store.Current.Find("default")!.Version] = 0,
        };
        var pipeline = new ModerationPipeline(new PromptEchoClassifier());
        var observations = new ConcurrentBag<ModerationDecision>();
        const int Readers = 4;
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var writerDone = new CancellationTokenSource();

        // Bounded by work (40 published versions, and at least 50 evaluations per reader), not by wall time,
        // so a loaded machine slows the test down instead of making it vacuous; the clock is only a safety cap.
        var safety = Stopwatch.StartNew();
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Factory.StartNew(
            async () =>
            {
                var count = 0;
                while ((!writerDone.IsCancellationRequested || count < 50) && safety.Elapsed < TimeSpan.FromSeconds(30))
                {
                    var policy = store.Current.Select(new PolicySelectionRequest()).Value!;
                    var decision = await pipeline.ModerateAsync([new ChatMessage(ChatRole.User, "hello")], policy, ModerationDirection.Input, CancellationToken.None);
                    observations.Add(decision.Value!);
                    if (++count == 1 && Interlocked.Increment(ref started) == Readers)
                    {
                        allStarted.SetResult();
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()).ToArray();

        await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var flip = 1; flip <= 40; flip++)
        {
            _fixture.Time.Advance(TimeSpan.FromSeconds(1));
            if (flip % 3 == 0)
            {
                // Through the file and an explicit reload, as the watcher would.
                _fixture.Directory.Write("default.yaml", texts[flip % 2]);
                var reload = await store.ReloadAsync();
                Assert.True(reload.Succeeded);
            }
            else
            {
                var put = await store.PutPolicyAsync("default", texts[flip % 2], PolicyVersions.Any, "racer", CancellationToken.None);
                Assert.True(put.IsSuccess);
            }

            versions[store.Current.Find("default")!.Version] = flip % 2;
        }

        await writerDone.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(versions.Count >= 4, $"only {versions.Count} versions were published");
        Assert.True(observations.Count >= Readers * 50, $"only {observations.Count} evaluations ran");
        foreach (var decision in observations)
        {
            Assert.True(versions.TryGetValue(decision.PolicyVersion, out var which), $"unknown version {decision.PolicyVersion}");
            Assert.Equal(expected[which], (decision.Classification!.RawOutput, decision.Action));
        }

        Assert.True(observations.Select(d => d.PolicyVersion).Distinct().Count() >= 2);
    }

    public void Dispose() => _fixture.Dispose();
}
