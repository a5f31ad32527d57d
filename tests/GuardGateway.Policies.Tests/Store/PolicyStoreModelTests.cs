using CsCheck;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>Model-based test of the admin API: random operation sequences against an in-memory model.</summary>
public sealed class PolicyStoreModelTests
{
    private static readonly string[] Ids = ["a", "b", "c"];
    private static readonly string[] Actions = ["block", "flag", "allow"];

    private static readonly Gen<Op> Operation = Gen.Select(Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 3], (delete, id, variant, mode) => new Op(delete, id, variant, (VersionMode)mode));

    private enum VersionMode
    {
        None,
        Current,
        Stale,
        Any,
    }

    [Fact]
    public async Task AdminOperations_RandomSequences_MatchAnInMemoryModel()
    {
        await Operation.Array[1, 20].SampleAsync(RunAsync, iter: 40, threads: 1);
    }

    private static async Task RunAsync(Op[] ops)
    {
        using var fixture = new StoreFixture();
        using var store = await fixture.LoadedStoreAsync();
        var model = new Dictionary<string, (int Variant, string Version)>(StringComparer.Ordinal);
        foreach (var op in ops)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            var id = Ids[op.Id];
            var exists = model.TryGetValue(id, out var current);
            var expectedVersion = op.Mode switch
            {
                VersionMode.None => null,
                VersionMode.Current => exists ? current.Version : "000000000000@20000101T000000Z",
                VersionMode.Stale => "ffffffffffff@19990101T000000Z",
                _ => PolicyVersions.Any,
            };

            if (op.Delete)
            {
                var deleted = await store.DeletePolicyAsync(id, expectedVersion ?? "ffffffffffff@19990101T000000Z", "model", CancellationToken.None);
                if (!exists)
                {
                    Assert.Equal(PolicyAdminErrorKind.NotFound, deleted.Error!.Kind);
                }
                else if (op.Mode is VersionMode.Current or VersionMode.Any)
                {
                    Assert.Equal(current.Version, deleted.Value);
                    model.Remove(id);
                }
                else
                {
                    Assert.Equal(PolicyAdminErrorKind.VersionConflict, deleted.Error!.Kind);
                }
            }
            else
            {
                var put = await store.PutPolicyAsync(id, PolicyTexts.Minimal(id, s1: Actions[op.Variant]), expectedVersion, "model", CancellationToken.None);
                var succeeds = op.Mode switch
                {
                    VersionMode.None => !exists,
                    VersionMode.Current => exists,
                    VersionMode.Stale => false,
                    _ => true,
                };
                if (!succeeds)
                {
                    Assert.Equal(PolicyAdminErrorKind.VersionConflict, put.Error!.Kind);
                    Assert.Equal(exists ? current.Version : null, put.Error.CurrentVersion);
                }
                else
                {
                    Assert.True(put.IsSuccess, put.Error?.ToString());
                    if (exists && current.Variant == op.Variant)
                    {
                        Assert.Equal(current.Version, put.Value.Version);
                    }
                    else if (exists)
                    {
                        Assert.NotEqual(current.Version, put.Value.Version);
                    }

                    model[id] = (op.Variant, put.Value.Version);
                }
            }

            var actual = store.ListPolicies().Where(p => Ids.Contains(p.Id)).ToDictionary(p => p.Id, p => p.Version);
            Assert.Equal(model.OrderBy(e => e.Key).Select(e => (e.Key, e.Value.Version)), actual.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)));
            string[] expectedFiles = ["default.yaml", "strict.yaml", .. model.Keys.Select(k => k + ".yaml")];
            Assert.Equal(expectedFiles.Order(StringComparer.Ordinal), fixture.Directory.FileNames());
        }

        // What is on disk is what the store serves: a fresh store reads the same contents.
        using var fresh = fixture.CreateStore();
        Assert.True((await fresh.ReloadAsync()).Succeeded);
        Assert.Equal(
            store.ListPolicies().Select(p => (p.Id, p.Version.Split('@')[0])),
            fresh.ListPolicies().Select(p => (p.Id, p.Version.Split('@')[0])));
    }

    private sealed record Op(bool Delete, int Id, int Variant, VersionMode Mode);
}
