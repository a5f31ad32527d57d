using System.Diagnostics;
using CsCheck;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Store;
using Xunit.Abstractions;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>
/// RELIABILITY.md T17, model-based: random sequences of every admin operation (put create / update with none,
/// current, stale or any expected version; delete; get; list; validate) plus edits on disk and explicit
/// reloads, run against the real store (real files, fake clock) and an in-memory <see cref="AdminModel"/>.
/// Every operation's result is predicted, and after every operation the served set, the files on disk and
/// the audit trail must equal the model's. CsCheck shrinks a failing sequence to a minimal one.
/// </summary>
public sealed class PolicyStoreAdminModelTests(ITestOutputHelper output)
{
    // RELIABILITY.md T17 asks for 0 divergences over 10,000 sequences. Each sequence builds a fresh directory
    // and store, so on the shared, oversubscribed 2-core CI machine (load average ~13) 10,000 took 73 s and
    // 2,000 took 16 s. The default run is bounded at 1,500 sequences (< 20 s under that load); set
    // GUARDGATEWAY_T17_SEQUENCES=10000 for the full count (run once: 0 divergences).
    private static readonly int Sequences = int.TryParse(Environment.GetEnvironmentVariable("GUARDGATEWAY_T17_SEQUENCES"), out var n) && n > 0 ? n : 1_500;

    private static readonly Gen<ModelOp> Operation = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 2], Gen.Int[0, AdminModel.VariantCount - 1], Gen.Int[0, 3], (id, variant, mode) => (ModelOp)new PutOp(id, variant, (ExpectedMode)mode))),
        (2, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3], (id, mode) => (ModelOp)new DeleteOp(id, (ExpectedMode)mode))),
        (1, Gen.Int[0, 2].Select(id => (ModelOp)new GetOp(id))),
        (1, Gen.Select(Gen.Int[0, 2], Gen.Int[0, AdminModel.VariantCount - 1], Gen.Int[-1, 2], (id, variant, asId) => (ModelOp)new ValidateOp(id, variant, asId))),
        (2, Gen.Select(Gen.Int[0, 2], Gen.Int[-1, AdminModel.VariantCount - 1], (id, variant) => (ModelOp)new DiskEditOp(id, variant))),
        (2, Gen.Const((ModelOp)new ReloadOp())));

    private enum ExpectedMode
    {
        None,
        Current,
        Stale,
        Any,
    }

    [Fact]
    public async Task AdminOperations_RandomSequences_NoDivergenceFromModel()
    {
        var clock = Stopwatch.StartNew();
        var ran = 0;
        await Operation.Array[1, 12].SampleAsync(
            async ops =>
            {
                Interlocked.Increment(ref ran);
                await RunAsync(ops);
            },
            iter: Sequences,
            threads: 1,
            print: ops => string.Join(", ", ops.Select(o => o.ToString())));
        output.WriteLine($"{ran} sequences in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(ran >= Sequences);
    }

    private static async Task RunAsync(ModelOp[] ops)
    {
        using var fixture = new StoreFixture();
        using var store = await fixture.LoadedStoreAsync();
        var model = new AdminModel();
        var initialAudits = fixture.Audit.Records.Count;
        var initial = store.Current.Find("default")!.Version;
        model.Served["default"] = (0, model.Fresh(initial));
        model.Disk["default"] = 0;

        foreach (var op in ops)
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            switch (op)
            {
                case PutOp put:
                    await PutAsync(store, model, put);
                    break;
                case DeleteOp delete:
                    await DeleteAsync(store, model, delete);
                    break;
                case GetOp get:
                    Get(store, model, get);
                    break;
                case ValidateOp validate:
                    Validate(store, model, validate);
                    break;
                case DiskEditOp edit:
                    Edit(fixture, model, edit);
                    break;
                default:
                    await ReloadAsync(store, model);
                    break;
            }

            // After every operation: the served set, the directory and the audit trail equal the model's.
            Assert.Equal(
                model.Served.Select(e => (e.Key, e.Value.Version)).Append(("strict", store.Current.Find("strict")!.Version)).OrderBy(e => e.Item1, StringComparer.Ordinal),
                store.ListPolicies().Select(p => (p.Id, p.Version)));
            Assert.Equal(
                model.Disk.Keys.Append("strict").Select(k => k + ".yaml").Order(StringComparer.Ordinal),
                fixture.Directory.FileNames());
            foreach (var (id, variant) in model.Disk)
            {
                Assert.Equal(AdminModel.Text(id, variant), fixture.Directory.Read(id + ".yaml"));
            }

            Assert.Equal(model.Audit, fixture.Audit.Records.Skip(initialAudits).Select(r => (r.Change, r.PolicyId, r.OldVersion, r.NewVersion, r.Actor)));
        }

        // What is on disk is what a fresh store serves (or refuses, when the disk holds an invalid set).
        using var fresh = fixture.CreateStore();
        var reload = await fresh.ReloadAsync();
        Assert.Equal(model.DiskIsValid(), reload.Succeeded);
    }

    private static async Task PutAsync(PolicyStore store, AdminModel model, PutOp op)
    {
        var id = AdminModel.Ids[op.Id];
        var exists = model.Served.TryGetValue(id, out var current);
        var expected = op.Mode switch
        {
            ExpectedMode.None => null,
            ExpectedMode.Current => exists ? current.Version : "000000000000@20000101T000000Z",
            ExpectedMode.Stale => "ffffffffffff@19990101T000000Z",
            _ => PolicyVersions.Any,
        };
        var result = await store.PutPolicyAsync(id, AdminModel.Text(id, op.Variant), expected, "model", CancellationToken.None);

        var versionOk = op.Mode switch
        {
            ExpectedMode.None => !exists,
            ExpectedMode.Current => exists,
            ExpectedMode.Stale => false,
            _ => true,
        };
        if (!versionOk)
        {
            Assert.Equal(PolicyAdminErrorKind.VersionConflict, result.Error?.Kind);
            Assert.Equal(exists ? current.Version : null, result.Error!.CurrentVersion);
            return;
        }

        if (!model.IsValid(id, op.Variant))
        {
            Assert.Equal(PolicyAdminErrorKind.Invalid, result.Error?.Kind);
            Assert.NotEmpty(result.Error!.Diagnostics);
            return;
        }

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(AdminModel.Text(id, op.Variant), result.Value.Yaml);
        model.Disk[id] = op.Variant;
        if (exists && current.Variant == op.Variant)
        {
            // Same text: no change, the version stays, nothing is audited.
            Assert.Equal(current.Version, result.Value.Version);
            return;
        }

        model.Served[id] = (op.Variant, model.Fresh(result.Value.Version));
        model.Audit.Add((exists ? PolicyChangeKind.Updated : PolicyChangeKind.Created, id, exists ? current.Version : null, result.Value.Version, "model"));
    }

    private static async Task DeleteAsync(PolicyStore store, AdminModel model, DeleteOp op)
    {
        var id = AdminModel.Ids[op.Id];
        var exists = model.Served.TryGetValue(id, out var current);
        var expected = op.Mode switch
        {
            ExpectedMode.Current => exists ? current.Version : "000000000000@20000101T000000Z",
            ExpectedMode.Any => PolicyVersions.Any,
            _ => "ffffffffffff@19990101T000000Z",
        };
        var result = await store.DeletePolicyAsync(id, expected, "model", CancellationToken.None);
        if (!exists)
        {
            Assert.Equal(PolicyAdminErrorKind.NotFound, result.Error?.Kind);
        }
        else if (op.Mode is not (ExpectedMode.Current or ExpectedMode.Any))
        {
            Assert.Equal(PolicyAdminErrorKind.VersionConflict, result.Error?.Kind);
            Assert.Equal(current.Version, result.Error!.CurrentVersion);
        }
        else if (id == "default")
        {
            Assert.Equal(PolicyAdminErrorKind.Invalid, result.Error?.Kind);
        }
        else
        {
            Assert.Equal(current.Version, result.Value);
            model.Served.Remove(id);
            model.Disk.Remove(id);
            model.Audit.Add((PolicyChangeKind.Deleted, id, current.Version, null, "model"));
        }
    }

    private static void Get(PolicyStore store, AdminModel model, GetOp op)
    {
        var id = AdminModel.Ids[op.Id];
        var result = store.GetPolicy(id);
        if (model.Served.TryGetValue(id, out var current))
        {
            Assert.True(result.IsSuccess);
            Assert.Equal((id, current.Version, AdminModel.Text(id, current.Variant)), (result.Value.Id, result.Value.Version, result.Value.Yaml));
        }
        else
        {
            Assert.Equal(PolicyAdminErrorKind.NotFound, result.Error?.Kind);
        }
    }

    private static void Validate(PolicyStore store, AdminModel model, ValidateOp op)
    {
        var id = AdminModel.Ids[op.Id];
        var asId = op.AsId < 0 ? null : AdminModel.Ids[op.AsId];
        var before = store.Current;
        var result = store.ValidatePolicy(AdminModel.Text(id, op.Variant), asId);
        var valid = (asId is null || asId == id) && model.IsValid(id, op.Variant);
        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid, result.Policy is not null);
        Assert.Same(before, store.Current);
    }

    private static void Edit(StoreFixture fixture, AdminModel model, DiskEditOp op)
    {
        var id = AdminModel.Ids[op.Id];
        if (op.Variant < 0)
        {
            fixture.Directory.Delete(id + ".yaml");
            model.Disk.Remove(id);
        }
        else
        {
            fixture.Directory.Write(id + ".yaml", AdminModel.Text(id, op.Variant));
            model.Disk[id] = op.Variant;
        }
    }

    private static async Task ReloadAsync(PolicyStore store, AdminModel model)
    {
        var result = await store.ReloadAsync();
        Assert.Equal(model.DiskIsValid(), result.Succeeded);
        Assert.Equal(result.Succeeded, store.Status.LastReloadSucceeded);
        if (!result.Succeeded)
        {
            // The last good set keeps serving; nothing is audited.
            Assert.Empty(result.Changes);
            return;
        }

        var changes = new List<(PolicyChangeKind, string, string?, string?, string)>();
        foreach (var (id, variant) in model.Disk.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var served = model.Served.TryGetValue(id, out var old);
            if (served && old.Variant == variant)
            {
                continue;
            }

            var version = model.Fresh(store.Current.Find(id)!.Version);
            changes.Add((served ? PolicyChangeKind.Updated : PolicyChangeKind.Created, id, served ? old.Version : null, version, PolicyStore.FileReloadActor));
            model.Served[id] = (variant, version);
        }

        foreach (var id in model.Served.Keys.Where(k => !model.Disk.ContainsKey(k)).Order(StringComparer.Ordinal).ToList())
        {
            changes.Add((PolicyChangeKind.Deleted, id, model.Served[id].Version, null, PolicyStore.FileReloadActor));
            model.Served.Remove(id);
        }

        Assert.Equal(changes, result.Changes.Select(r => (r.Change, r.PolicyId, r.OldVersion, r.NewVersion, r.Actor)));
        model.Audit.AddRange(changes);
    }

    private abstract record ModelOp;

    private sealed record PutOp(int Id, int Variant, ExpectedMode Mode) : ModelOp;

    private sealed record DeleteOp(int Id, ExpectedMode Mode) : ModelOp;

    private sealed record GetOp(int Id) : ModelOp;

    private sealed record ValidateOp(int Id, int Variant, int AsId) : ModelOp;

    private sealed record DiskEditOp(int Id, int Variant) : ModelOp;

    private sealed record ReloadOp : ModelOp;
}
