using System.Diagnostics;
using GuardGateway.Core.Moderation;
using GuardGateway.Policies.Store;
using GuardGateway.Policies.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>
/// A policy directory laid out as the kubelet mounts a ConfigMap (the Helm chart's policies): each key is a symlink
/// <c>x.yaml -> ..data/x.yaml</c>, <c>..data</c> a symlink to a timestamped folder. An update writes a new folder and
/// renames a fresh <c>..data_tmp</c> link over <c>..data</c>: no <c>*.yaml</c> name in the watched folder changes.
/// </summary>
public sealed class PolicyStoreConfigMapTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task StartWatching_ConfigMapContentUpdated_Reloads()
    {
        WriteVersion("..2026_11_28_12_00_00.1", strictS1: "block");
        Directory.CreateSymbolicLink(Path.Combine(_directory.Path, "..data"), "..2026_11_28_12_00_00.1");
        foreach (var file in new[] { "default.yaml", "strict.yaml" })
        {
            File.CreateSymbolicLink(Path.Combine(_directory.Path, file), Path.Combine("..data", file));
        }

        using var store = new PolicyStore(new PolicyStoreOptions { Directory = _directory.Path, ReloadDebounce = Debounce }, _time);
        Assert.True((await store.ReloadAsync()).Succeeded);
        Assert.True(store.StartWatching());
        Assert.Equal(ModerationAction.Block, store.Current.Find("strict")!.Categories[0].Input.Action);

        var signals = store.WatcherSignals;
        WriteVersion("..2026_11_28_12_05_00.2", strictS1: "flag");
        Directory.CreateSymbolicLink(Path.Combine(_directory.Path, "..data_tmp"), "..2026_11_28_12_05_00.2");
        RenameOver("..data_tmp", "..data");
        Directory.Delete(Path.Combine(_directory.Path, "..2026_11_28_12_00_00.1"), recursive: true);
        await WatcherSignalWait.ForSignalAsync(store, signals);
        _time.Advance(Debounce);
        await store.LastScheduledReload;

        Assert.Equal(ModerationAction.Flag, store.Current.Find("strict")!.Categories[0].Input.Action);
    }

    private void WriteVersion(string folder, string strictS1)
    {
        Directory.CreateDirectory(Path.Combine(_directory.Path, folder));
        _directory.Write(Path.Combine(folder, "default.yaml"), PolicyTexts.Minimal("default"));
        _directory.Write(Path.Combine(folder, "strict.yaml"), PolicyTexts.Minimal("strict", s1: strictS1));
    }

    // rename(2) of the link itself over the old link, as the kubelet's atomic writer does (mv -T never follows them).
    private void RenameOver(string source, string target)
    {
        using var mv = Process.Start(new ProcessStartInfo("mv", ["-T", source, target]) { WorkingDirectory = _directory.Path })!;
        Assert.True(mv.WaitForExit(TimeSpan.FromSeconds(10)) && mv.ExitCode == 0, "mv -T failed");
    }

    public void Dispose() => _directory.Dispose();
}
