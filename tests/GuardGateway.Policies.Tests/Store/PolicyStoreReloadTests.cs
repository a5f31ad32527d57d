using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Policies.Store;
using GuardGateway.Policies.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Policies.Tests.Store;

public sealed class PolicyStoreReloadTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    [Fact]
    public async Task ReloadAsync_ValidDirectory_LoadsEveryPolicyAndReportsStatus()
    {
        using var store = _fixture.CreateStore();

        var result = await store.ReloadAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(["default", "strict"], store.Current.Policies.Select(p => p.Id));
        Assert.Equal(1, store.Current.Generation);
        Assert.Equal("strict", store.Current.Select(new PolicySelectionRequest(ApiKeyId: "team-a")).Value!.Id);
        var status = store.Status;
        Assert.True(status.HasValidSet);
        Assert.True(status.LastReloadSucceeded);
        Assert.Equal(2, status.PolicyCount);
        Assert.Equal(1, status.ReloadCount);
        Assert.Equal(0, status.FailedReloadCount);
        Assert.Equal(_fixture.Time.GetUtcNow(), status.LastSuccessAt);
        Assert.Equal([PolicyChangeKind.Created, PolicyChangeKind.Created], _fixture.Audit.Records.Select(r => r.Change));
        Assert.All(_fixture.Audit.Records, r => Assert.Equal(PolicyStore.FileReloadActor, r.Actor));
    }

    [Fact]
    public async Task ReloadAsync_EditedFile_NewVersionWhileOthersKeepTheirs()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var before = store.Current;
        _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        _fixture.Directory.Write("strict.yaml", PolicyTexts.Minimal("strict", s1: "flag"));

        var result = await store.ReloadAsync();

        Assert.True(result.Succeeded);
        var after = store.Current;
        Assert.Equal(2, after.Generation);
        Assert.Equal(before.Find("default")!.Version, after.Find("default")!.Version);
        Assert.NotEqual(before.Find("strict")!.Version, after.Find("strict")!.Version);
        Assert.EndsWith("@20261128T120100Z", after.Find("strict")!.Version, StringComparison.Ordinal);
        var change = Assert.Single(result.Changes);
        Assert.Equal((PolicyChangeKind.Updated, "strict", before.Find("strict")!.Version, after.Find("strict")!.Version), (change.Change, change.PolicyId, change.OldVersion, change.NewVersion));
    }

    [Fact]
    public async Task ReloadAsync_NothingChanged_KeepsTheSameSnapshot()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var before = store.Current;
        _fixture.Time.Advance(TimeSpan.FromMinutes(1));

        var result = await store.ReloadAsync();

        Assert.True(result.Succeeded);
        Assert.Empty(result.Changes);
        Assert.Same(before, store.Current);
        Assert.Equal(2, store.Status.ReloadCount);
    }

    [Fact]
    public async Task ReloadAsync_BrokenEdit_KeepsLastGoodSetAndReportsTheError()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var good = store.Current;
        _fixture.Directory.Write("strict.yaml", "id: strict\nformat: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: nuke\n    output: block\n");

        var result = await store.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Same(good, store.Current);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((Path.Combine(_fixture.Directory.Path, "strict.yaml"), 5, 12, PolicyDiagnosticCodes.InvalidAction), (error.File, error.Line, error.Column, error.Code));
        var status = store.Status;
        Assert.True(status.HasValidSet);
        Assert.False(status.LastReloadSucceeded);
        Assert.Equal(1, status.FailedReloadCount);
        Assert.Equal(result.Diagnostics, status.LastDiagnostics);
        var logged = _fixture.Logger.Collector.GetSnapshot();
        Assert.Contains(logged, r => r.Level == LogLevel.Error && r.Id.Id == 2002 && r.Message.Contains("invalid-action", StringComparison.Ordinal));
        Assert.Contains(logged, r => r.Level == LogLevel.Error && r.Id.Id == 2001);

        _fixture.Directory.Write("strict.yaml", PolicyTexts.Minimal("strict", s1: "flag"));
        var fixedResult = await store.ReloadAsync();

        Assert.True(fixedResult.Succeeded);
        Assert.True(store.Status.LastReloadSucceeded);
        Assert.Equal(2, store.Current.Generation);
    }

    [Fact]
    public async Task ReloadAsync_DeletedFile_PolicyRemovedAndAudited()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var version = store.Current.Find("strict")!.Version;
        _fixture.Directory.Delete("strict.yaml");

        var result = await store.ReloadAsync();

        Assert.True(result.Succeeded);
        Assert.Null(store.Current.Find("strict"));
        Assert.Equal(GuardErrorCode.PolicyNotFound, store.Current.Select(new PolicySelectionRequest("strict")).Error!.Code);
        Assert.Equal("default", store.Current.Select(new PolicySelectionRequest(ApiKeyId: "team-a")).Value!.Id);
        Assert.Equal(new PolicyAuditRecord(_fixture.Time.GetUtcNow(), PolicyStore.FileReloadActor, PolicyChangeKind.Deleted, "strict", version, null), _fixture.Audit.Records[^1]);
    }

    [Fact]
    public async Task ReloadAsync_DefaultFileDeleted_RejectedAndLastGoodKept()
    {
        using var store = await _fixture.LoadedStoreAsync();
        _fixture.Directory.Delete("default.yaml");

        var result = await store.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Equal(PolicyDiagnosticCodes.MissingDefault, Assert.Single(result.Diagnostics).Code);
        Assert.NotNull(store.Current.Find("default"));
    }

    [Fact]
    public async Task ReloadAsync_FirstLoadBroken_NoSetAndEverySelectionFailsClosed()
    {
        _fixture.Directory.Write("default.yaml", "id: default\n");
        using var store = _fixture.CreateStore();

        var result = await store.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Empty(store.Current.Policies);
        Assert.False(store.Status.HasValidSet);
        Assert.Equal(GuardErrorCode.PolicyUnavailable, store.Current.Select(new PolicySelectionRequest()).Error!.Code);

        // An admin write of another policy does not make the set servable; writing the default does.
        Assert.True((await store.PutPolicyAsync("extra", PolicyTexts.Minimal("extra"), null, "admin", CancellationToken.None)).IsSuccess);
        Assert.False(store.Status.HasValidSet);
        Assert.True((await store.PutPolicyAsync("default", PolicyTexts.Minimal("default"), PolicyVersions.Any, "admin", CancellationToken.None)).IsSuccess);
        Assert.True(store.Status.HasValidSet);
        Assert.Equal("default", store.Current.Select(new PolicySelectionRequest()).Value!.Id);
    }

    [Fact]
    public async Task ReloadAsync_PolicyForAnotherModelFamily_LoadsWithWarningButCannotBeSelected()
    {
        _fixture.Directory.Write("small.yaml", PolicyTexts.Minimal("small", format: "llama-guard-3-1b"));
        using var store = _fixture.CreateStore(["llama-guard-3-8b"]);

        var result = await store.ReloadAsync();

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((PolicyDiagnosticCodes.UnsupportedFormat, PolicyDiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.NotNull(store.Current.Find("small"));
        Assert.Equal(GuardErrorCode.PolicyUnavailable, store.Current.Select(new PolicySelectionRequest("small")).Error!.Code);
        Assert.True(store.Current.Select(new PolicySelectionRequest()).IsSuccess);
    }

    [Fact]
    public async Task ReloadAsync_DefaultPolicyForAnotherModelFamily_Rejected()
    {
        using var store = _fixture.CreateStore(["llama-guard-3-1b"]);

        var result = await store.ReloadAsync();

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Code == PolicyDiagnosticCodes.MissingDefault && d.IsError);
    }

    [Fact]
    public async Task ReloadAsync_BindingClashAcrossFiles_Rejected()
    {
        using var store = await _fixture.LoadedStoreAsync();
        _fixture.Directory.Write("other.yaml", PolicyTexts.Minimal("other", extra: "bindings:\n  api_keys: [team-a]\n"));

        var result = await store.ReloadAsync();

        Assert.False(result.Succeeded);
        var clash = Assert.Single(result.Diagnostics);
        // Files are checked in name order: other.yaml claims team-a first, strict.yaml's line is reported, and
        // the message names the other location.
        Assert.Equal((Path.Combine(_fixture.Directory.Path, "strict.yaml"), PolicyDiagnosticCodes.BindingClash, 14, 14), (clash.File, clash.Code, clash.Line, clash.Column));
        Assert.Contains("other.yaml:13:14", clash.Message, StringComparison.Ordinal);
        Assert.Null(store.Current.Find("other"));
    }

    public void Dispose() => _fixture.Dispose();
}
