using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Store;

public sealed class PolicyStoreAdminTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    [Fact]
    public async Task PutPolicyAsync_NewId_WritesFileSwapsSetAndAudits()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var text = PolicyTexts.Minimal("fresh");

        var put = await store.PutPolicyAsync("fresh", text, null, "admin-1", CancellationToken.None);

        Assert.True(put.IsSuccess);
        Assert.Equal(text, _fixture.Directory.Read("fresh.yaml"));
        Assert.Equal(put.Value.Version, store.Current.Find("fresh")!.Version);
        Assert.Equal(2, store.Current.Generation);
        Assert.Equal(new PolicyAuditRecord(_fixture.Time.GetUtcNow(), "admin-1", PolicyChangeKind.Created, "fresh", null, put.Value.Version), _fixture.Audit.Records[^1]);
        Assert.Equal(["default.yaml", "fresh.yaml", "strict.yaml"], _fixture.Directory.FileNames());
        Assert.Equal(new PolicyDocument("fresh", put.Value.Version, text), store.GetPolicy("fresh").Value);
    }

    [Fact]
    public async Task PutPolicyAsync_CreateButExists_VersionConflictWithCurrentVersion()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var current = store.Current.Find("strict")!.Version;

        var put = await store.PutPolicyAsync("strict", PolicyTexts.Minimal("strict", s1: "flag"), null, "admin-1", CancellationToken.None);

        Assert.Equal(PolicyAdminErrorKind.VersionConflict, put.Error!.Kind);
        Assert.Equal(current, put.Error.CurrentVersion);
    }

    [Fact]
    public async Task PutPolicyAsync_UpdateWithCurrentVersion_Replaces()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var old = store.GetPolicy("strict").Value!;
        _fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var text = PolicyTexts.Minimal("strict", s1: "flag");

        var put = await store.PutPolicyAsync("strict", text, old.Version, "admin-1", CancellationToken.None);

        Assert.True(put.IsSuccess);
        Assert.NotEqual(old.Version, put.Value.Version);
        Assert.Equal(text, _fixture.Directory.Read("strict.yaml"));
        Assert.Equal(Core.Moderation.ModerationAction.Flag, store.Current.Find("strict")!.Categories[0].Input.Action);
        Assert.Equal((PolicyChangeKind.Updated, old.Version, put.Value.Version), (_fixture.Audit.Records[^1].Change, _fixture.Audit.Records[^1].OldVersion, _fixture.Audit.Records[^1].NewVersion));
    }

    [Fact]
    public async Task PutPolicyAsync_StaleVersion_ConflictAndNothingChanges()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var before = store.Current;
        var original = _fixture.Directory.Read("strict.yaml");

        var put = await store.PutPolicyAsync("strict", PolicyTexts.Minimal("strict", s1: "flag"), "0123456789ab@20200101T000000Z", "admin-1", CancellationToken.None);

        Assert.Equal(PolicyAdminErrorKind.VersionConflict, put.Error!.Kind);
        Assert.Equal(before.Find("strict")!.Version, put.Error.CurrentVersion);
        Assert.Same(before, store.Current);
        Assert.Equal(original, _fixture.Directory.Read("strict.yaml"));
    }

    [Fact]
    public async Task PutPolicyAsync_VersionForMissingPolicy_Conflict()
    {
        using var store = await _fixture.LoadedStoreAsync();

        var put = await store.PutPolicyAsync("ghost", PolicyTexts.Minimal("ghost"), "0123456789ab@20200101T000000Z", "admin-1", CancellationToken.None);

        Assert.Equal(PolicyAdminErrorKind.VersionConflict, put.Error!.Kind);
        Assert.Null(put.Error.CurrentVersion);
    }

    [Fact]
    public async Task PutPolicyAsync_AnyVersion_CreatesOrReplaces()
    {
        using var store = await _fixture.LoadedStoreAsync();

        Assert.True((await store.PutPolicyAsync("strict", PolicyTexts.Minimal("strict", s1: "flag"), PolicyVersions.Any, "a", CancellationToken.None)).IsSuccess);
        Assert.True((await store.PutPolicyAsync("new", PolicyTexts.Minimal("new"), PolicyVersions.Any, "a", CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task PutPolicyAsync_SameText_NoChangeSameVersion()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var old = store.GetPolicy("strict").Value!;
        var audits = _fixture.Audit.Records.Count;

        var put = await store.PutPolicyAsync("strict", old.Yaml, old.Version, "admin-1", CancellationToken.None);

        Assert.Equal(old, put.Value);
        Assert.Equal(audits, _fixture.Audit.Records.Count);
        Assert.Equal(1, store.Current.Generation);
    }

    public static TheoryData<string, string, string> InvalidPuts => new()
    {
        // id, text, expected diagnostic code
        { "fresh", "id: fresh\nformat: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: nuke\n    output: block\n", PolicyDiagnosticCodes.InvalidAction },
        { "fresh", PolicyTexts.Minimal("other"), PolicyDiagnosticCodes.IdMismatch },
        { "../evil", PolicyTexts.Minimal("evil"), PolicyDiagnosticCodes.InvalidId },
        { "fresh", PolicyTexts.Minimal("fresh", extra: "bindings:\n  api_keys: [team-a]\n"), PolicyDiagnosticCodes.BindingClash },
        { "fresh", PolicyTexts.Minimal("fresh", format: "llama-guard-3-1b"), PolicyDiagnosticCodes.UnsupportedFormat },
        { "fresh", "id: [", PolicyDiagnosticCodes.YamlSyntax },
    };

    [Theory]
    [MemberData(nameof(InvalidPuts))]
    public async Task PutPolicyAsync_InvalidText_InvalidWithDiagnosticsAndNothingWritten(string id, string text, string code)
    {
        using var store = await _fixture.LoadedStoreAsync(["llama-guard-3-8b"]);
        var before = store.Current;

        var put = await store.PutPolicyAsync(id, text, null, "admin-1", CancellationToken.None);

        Assert.Equal(PolicyAdminErrorKind.Invalid, put.Error!.Kind);
        Assert.Contains(put.Error.Diagnostics, d => d.Code == code && d.IsError);
        Assert.Same(before, store.Current);
        Assert.Equal(["default.yaml", "strict.yaml"], _fixture.Directory.FileNames());
        Assert.False(File.Exists(Path.Combine(_fixture.Directory.Path, "..", "evil.yaml")));
    }

    [Fact]
    public async Task PutPolicyAsync_TargetCannotBeWritten_StorageFailureNothingChanges()
    {
        using var store = await _fixture.LoadedStoreAsync();
        System.IO.Directory.CreateDirectory(Path.Combine(_fixture.Directory.Path, "blocked.yaml"));
        var before = store.Current;

        var put = await store.PutPolicyAsync("blocked", PolicyTexts.Minimal("blocked"), null, "admin-1", CancellationToken.None);

        Assert.Equal(PolicyAdminErrorKind.StorageFailure, put.Error!.Kind);
        Assert.Same(before, store.Current);
        Assert.Equal(["default.yaml", "strict.yaml"], _fixture.Directory.FileNames());
        Assert.DoesNotContain(_fixture.Audit.Records, r => r.PolicyId == "blocked");
    }

    [Fact]
    public async Task DeletePolicyAsync_CurrentVersion_RemovesFileAndPolicy()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var version = store.Current.Find("strict")!.Version;

        var deleted = await store.DeletePolicyAsync("strict", version, "admin-2", CancellationToken.None);

        Assert.Equal(version, deleted.Value);
        Assert.False(_fixture.Directory.Exists("strict.yaml"));
        Assert.Null(store.Current.Find("strict"));
        Assert.Equal(PolicyAdminErrorKind.NotFound, store.GetPolicy("strict").Error!.Kind);
        Assert.Equal(new PolicyAuditRecord(_fixture.Time.GetUtcNow(), "admin-2", PolicyChangeKind.Deleted, "strict", version, null), _fixture.Audit.Records[^1]);
    }

    [Fact]
    public async Task DeletePolicyAsync_StaleUnknownOrDefault_Refused()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var before = store.Current;

        var stale = await store.DeletePolicyAsync("strict", "nope", "a", CancellationToken.None);
        var unknown = await store.DeletePolicyAsync("ghost", PolicyVersions.Any, "a", CancellationToken.None);
        var defaultPolicy = await store.DeletePolicyAsync("default", PolicyVersions.Any, "a", CancellationToken.None);

        Assert.Equal(PolicyAdminErrorKind.VersionConflict, stale.Error!.Kind);
        Assert.Equal(PolicyAdminErrorKind.NotFound, unknown.Error!.Kind);
        Assert.Equal(PolicyAdminErrorKind.Invalid, defaultPolicy.Error!.Kind);
        Assert.Equal(PolicyDiagnosticCodes.MissingDefault, Assert.Single(defaultPolicy.Error.Diagnostics).Code);
        Assert.Same(before, store.Current);
        Assert.Equal(["default.yaml", "strict.yaml"], _fixture.Directory.FileNames());
    }

    [Fact]
    public async Task ValidatePolicy_Text_PolicyOrEveryDiagnostic()
    {
        using var store = await _fixture.LoadedStoreAsync();

        var valid = store.ValidatePolicy(PolicyTexts.Minimal("x"));
        var clash = store.ValidatePolicy(PolicyTexts.Minimal("x", extra: "bindings:\n  api_keys: [team-a]\n"), "x");
        var ownBindings = store.ValidatePolicy(_fixture.Directory.Read("strict.yaml"), "strict");
        var broken = store.ValidatePolicy("id: x\nformat: nope\nthreshold: 2\ncategories: []\n");

        Assert.True(valid.IsValid);
        Assert.Equal("x", valid.Policy!.Id);
        Assert.False(clash.IsValid);
        Assert.Equal(("x.yaml", PolicyDiagnosticCodes.BindingClash), (clash.Diagnostics[0].File, clash.Diagnostics[0].Code));
        Assert.True(ownBindings.IsValid);
        Assert.Null(broken.Policy);
        Assert.Equal([PolicyDiagnosticCodes.UnknownFormat, PolicyDiagnosticCodes.InvalidThreshold, PolicyDiagnosticCodes.EmptyCategories], broken.Diagnostics.Select(d => d.Code));
        Assert.All(broken.Diagnostics, d => Assert.Equal("<policy>", d.File));
    }

    [Fact]
    public async Task PutPolicyAsync_ThenReloadFromDisk_SameVersionNoChange()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var put = await store.PutPolicyAsync("fresh", PolicyTexts.Minimal("fresh"), null, "admin-1", CancellationToken.None);
        _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var generation = store.Current.Generation;

        var reload = await store.ReloadAsync();

        Assert.True(reload.Succeeded);
        Assert.Empty(reload.Changes);
        Assert.Equal(generation, store.Current.Generation);
        Assert.Equal(put.Value!.Version, store.Current.Find("fresh")!.Version);
    }

    [Fact]
    public async Task ListPolicies_AfterChanges_ReflectsTheCurrentSet()
    {
        using var store = await _fixture.LoadedStoreAsync();
        await store.PutPolicyAsync("b-policy", PolicyTexts.Minimal("b-policy"), null, "a", CancellationToken.None);

        Assert.Equal(["b-policy", "default", "strict"], store.ListPolicies().Select(p => p.Id));
    }

    public void Dispose() => _fixture.Dispose();
}
