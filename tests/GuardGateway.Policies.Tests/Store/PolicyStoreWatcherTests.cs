using GuardGateway.Core.Policies;
using GuardGateway.Policies.Store;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Store;

public sealed class PolicyStoreWatcherTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    [Fact]
    public async Task ScheduleReload_BurstOfSignals_OneReloadAfterTheQuietPeriod()
    {
        using var store = await _fixture.LoadedStoreAsync();
        _fixture.Directory.Write("strict.yaml", PolicyTexts.Minimal("strict", s1: "flag"));

        store.ScheduleReload();
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(300));
        store.ScheduleReload();
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(300));

        // 600 ms after the first signal but only 300 ms after the last: still waiting.
        Assert.Equal(1, store.Status.ReloadCount);
        Assert.Equal(1, store.Current.Generation);

        _fixture.Time.Advance(TimeSpan.FromMilliseconds(200));
        await store.LastScheduledReload;

        Assert.Equal(2, store.Status.ReloadCount);
        Assert.Equal(2, store.Current.Generation);
        Assert.Equal(Core.Moderation.ModerationAction.Flag, store.Current.Find("strict")!.Categories[0].Input.Action);
    }

    [Fact]
    public async Task StartWatching_FileEdited_ReloadsAfterDebounce()
    {
        using var store = await _fixture.LoadedStoreAsync();
        Assert.True(store.StartWatching());
        var old = store.Current.Find("strict")!.Version;
        _fixture.Time.Advance(TimeSpan.FromSeconds(1));

        var signals = store.WatcherSignals;
        _fixture.Directory.Write("strict.yaml", PolicyTexts.Minimal("strict", s1: "flag"));
        await WatcherSignalWait.ForSignalAsync(store, signals);
        Assert.Equal(old, store.Current.Find("strict")!.Version);
        _fixture.Time.Advance(_fixture.Debounce);
        await store.LastScheduledReload;

        Assert.NotEqual(old, store.Current.Find("strict")!.Version);
        Assert.Contains(_fixture.Audit.Records, r => r.Change == PolicyChangeKind.Updated && r.PolicyId == "strict" && r.Actor == PolicyStore.FileReloadActor);
    }

    [Fact]
    public async Task StartWatching_BrokenEditThenDelete_LastGoodKeptThenPolicyRemoved()
    {
        using var store = await _fixture.LoadedStoreAsync();
        Assert.True(store.StartWatching());
        var good = store.Current;

        var signals = store.WatcherSignals;
        _fixture.Directory.Write("strict.yaml", "id: strict\nformat: [\n");
        await WatcherSignalWait.ForSignalAsync(store, signals);
        _fixture.Time.Advance(_fixture.Debounce);
        await store.LastScheduledReload;

        Assert.Same(good, store.Current);
        Assert.False(store.Status.LastReloadSucceeded);
        Assert.Contains(store.Status.LastDiagnostics, d => d.Code == PolicyDiagnosticCodes.YamlSyntax && d.File.EndsWith("strict.yaml", StringComparison.Ordinal));

        signals = store.WatcherSignals;
        _fixture.Directory.Delete("strict.yaml");
        await WatcherSignalWait.ForSignalAsync(store, signals);
        _fixture.Time.Advance(_fixture.Debounce);
        await store.LastScheduledReload;

        Assert.True(store.Status.LastReloadSucceeded);
        Assert.Null(store.Current.Find("strict"));
    }

    [Fact]
    public async Task Dispose_WithPendingReload_NothingRunsAfterwards()
    {
        var store = await _fixture.LoadedStoreAsync();
        _fixture.Directory.Write("strict.yaml", PolicyTexts.Minimal("strict", s1: "flag"));
        store.ScheduleReload();

        store.Dispose();
        _fixture.Time.Advance(_fixture.Debounce * 2);
        await store.LastScheduledReload;

        Assert.Equal(1, store.Status.ReloadCount);
    }

    [Fact]
    public async Task StartWatching_MissingDirectory_FalseAndExplicitReloadStillReports()
    {
        using var store = new PolicyStore(new PolicyStoreOptions { Directory = Path.Combine(_fixture.Directory.Path, "missing") }, _fixture.Time);

        Assert.False(store.StartWatching());
        var result = await store.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == PolicyDiagnosticCodes.FileUnreadable);
        Assert.Contains(store.Status.LastDiagnostics, d => d.Code == PolicyDiagnosticCodes.FileUnreadable);
    }

    public void Dispose() => _fixture.Dispose();
}
