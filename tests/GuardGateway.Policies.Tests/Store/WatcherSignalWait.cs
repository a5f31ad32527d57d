using GuardGateway.Policies.Store;

namespace GuardGateway.Policies.Tests.Store;

/// <summary>Waits for the policy store's file watcher.</summary>
internal static class WatcherSignalWait
{
    // Waits (bounded) for the OS to deliver at least one file event, then for the burst to settle, so the
    // fake clock is advanced only after the watcher has (re)started the debounce timer.
    public static async Task ForSignalAsync(PolicyStore store, long before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.WatcherSignals == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(store.WatcherSignals > before, "no file system event within 10 s");
        long seen;
        do
        {
            seen = store.WatcherSignals;
            await Task.Delay(100);
        }
        while (store.WatcherSignals != seen);
    }
}
