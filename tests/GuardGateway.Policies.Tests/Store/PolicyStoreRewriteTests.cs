using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>Regression (found by the T17 model-based test): a put of the served text over an unreloaded disk edit.</summary>
public sealed class PolicyStoreRewriteTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    [Fact]
    public async Task PutPolicy_ServedTextWhileFileHoldsUnreloadedEdit_RewritesFileKeepsVersion()
    {
        using var store = await _fixture.LoadedStoreAsync();
        var served = store.Current.Find("default")!.Version;
        var audits = _fixture.Audit.Records.Count;
        _fixture.Directory.Write("default.yaml", PolicyTexts.Minimal("default", s1: "allow"));

        var put = await store.PutPolicyAsync("default", PolicyTexts.Minimal("default"), PolicyVersions.Any, "admin", CancellationToken.None);
        var reload = await store.ReloadAsync();

        Assert.Equal(served, put.Value!.Version);
        Assert.Equal(PolicyTexts.Minimal("default"), _fixture.Directory.Read("default.yaml"));
        Assert.Empty(reload.Changes);
        Assert.Equal(served, store.Current.Find("default")!.Version);
        Assert.Equal(audits, _fixture.Audit.Records.Count);
    }

    public void Dispose() => _fixture.Dispose();
}
