using GuardGateway.Policies.Store;
using GuardGateway.Policies.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>A temp policy directory, a fake clock, an audit sink and a fake logger for store tests.</summary>
public sealed class StoreFixture : IDisposable
{
    public StoreFixture()
    {
        Directory.Write("default.yaml", PolicyTexts.Minimal("default"));
        Directory.Write("strict.yaml", PolicyTexts.Minimal("strict", extra: "threshold: 0.3\nbindings:\n  api_keys: [team-a]\n"));
    }

    public TempDirectory Directory { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public RecordingAuditSink Audit { get; } = new();

    public FakeLogger<PolicyStore> Logger { get; } = new();

    public TimeSpan Debounce { get; } = TimeSpan.FromMilliseconds(500);

    public PolicyStore CreateStore(IReadOnlyCollection<string>? formats = null) => new(
        new PolicyStoreOptions { Directory = Directory.Path, SupportedFormats = formats, ReloadDebounce = Debounce },
        Time,
        Logger,
        Audit);

    public async Task<PolicyStore> LoadedStoreAsync(IReadOnlyCollection<string>? formats = null)
    {
        var store = CreateStore(formats);
        var result = await store.ReloadAsync();
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return store;
    }

    public void Dispose() => Directory.Dispose();
}
