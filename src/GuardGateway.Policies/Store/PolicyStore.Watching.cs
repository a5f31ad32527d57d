namespace GuardGateway.Policies.Store;

/// <summary>Hot reload: a file watcher whose bursts of events are debounced into one reload.</summary>
public sealed partial class PolicyStore
{
    private readonly Lock _watchLock = new();
    private readonly CancellationTokenSource _disposed = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;
    private long _watcherSignals;
    private Task _lastScheduledReload = Task.CompletedTask;

    /// <summary>File events seen so far (for tests: lets them wait for the OS before advancing a fake clock).</summary>
    internal long WatcherSignals => Interlocked.Read(ref _watcherSignals);

    /// <summary>The most recent reload started by the debounce timer (for tests).</summary>
    internal Task LastScheduledReload
    {
        get
        {
            lock (_watchLock)
            {
                return _lastScheduledReload;
            }
        }
    }

    /// <summary>
    /// Starts watching the policy directory: any change to a <c>*.yaml</c> / <c>*.yml</c> file (or to the <c>..data</c>
    /// link of a Kubernetes ConfigMap volume) schedules a
    /// reload after <see cref="PolicyStoreOptions.ReloadDebounce"/> of quiet. Returns false (and logs) when
    /// the directory cannot be watched; explicit <see cref="ReloadAsync"/> still works.
    /// </summary>
    public bool StartWatching()
    {
        lock (_watchLock)
        {
            if (_watcher is not null)
            {
                return true;
            }

            try
            {
                var watcher = new FileSystemWatcher(_options.Directory)
                {
                    IncludeSubdirectories = false,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                };
                watcher.Filters.Add("*.yaml");
                watcher.Filters.Add("*.yml");
                // A Kubernetes ConfigMap volume changes content by renaming a new ..data_tmp link over ..data; the
                // x.yaml -> ..data/x.yaml links themselves stay, so no *.yaml event would come.
                watcher.Filters.Add("..data");
                watcher.Changed += OnFileEvent;
                watcher.Created += OnFileEvent;
                watcher.Deleted += OnFileEvent;
                watcher.Renamed += OnFileEvent;
                watcher.Error += OnWatcherError;
                watcher.EnableRaisingEvents = true;
                _watcher = watcher;
                return true;
            }
            catch (Exception exception) when (exception is ArgumentException or IOException or PlatformNotSupportedException or UnauthorizedAccessException)
            {
                PolicyStoreLog.WatchFailed(_logger, _options.Directory, exception);
                return false;
            }
        }
    }

    /// <summary>Stops watching; a pending debounced reload is dropped.</summary>
    public void StopWatching()
    {
        lock (_watchLock)
        {
            _watcher?.Dispose();
            _watcher = null;
            _debounce?.Dispose();
            _debounce = null;
        }
    }

    /// <summary>Schedules a reload after the debounce period, restarting the period if one is pending.</summary>
    internal void ScheduleReload()
    {
        Interlocked.Increment(ref _watcherSignals);
        lock (_watchLock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            if (_debounce is null)
            {
                _debounce = _time.CreateTimer(static state => ((PolicyStore)state!).OnDebounceElapsed(), this, _options.ReloadDebounce, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _debounce.Change(_options.ReloadDebounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => ScheduleReload();

    private void OnWatcherError(object sender, ErrorEventArgs e)
    {
        // An overflow loses events: the only safe answer is a full reload.
        PolicyStoreLog.WatcherError(_logger, e.GetException());
        ScheduleReload();
    }

    private void OnDebounceElapsed()
    {
        lock (_watchLock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _lastScheduledReload = RunScheduledReloadAsync(_lastScheduledReload);
        }
    }

    private async Task RunScheduledReloadAsync(Task previous)
    {
        // Chained so scheduled reloads never overlap (they would serialize on the gate anyway).
        await previous;
        try
        {
            await ReloadAsync(_disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed while waiting: nothing to do.
        }
        catch (ObjectDisposedException) when (_disposed.IsCancellationRequested)
        {
            // Disposed while waiting on the gate.
        }
#pragma warning disable CA1031 // A timer callback has no caller: log instead of crashing the process; the last good set stays.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            PolicyStoreLog.ScheduledReloadFailed(_logger, exception);
        }
    }
}
