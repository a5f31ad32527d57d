using GuardGateway.Core.Policies;
using GuardGateway.Policies.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GuardGateway.Policies.Store;

/// <summary>
/// The policy store: loads a directory of policy files, serves an immutable <see cref="PolicySet"/> that is
/// swapped atomically (one volatile reference write, so no request ever sees a half-applied change), reloads
/// on file changes (debounced through <see cref="TimeProvider"/>) or on <see cref="ReloadAsync"/>, keeps
/// the last good set when an edit is broken, and implements the admin operations.
/// All changes (reloads and admin writes) are serialized; reads never wait.
/// </summary>
public sealed partial class PolicyStore : IPolicyStore, IPolicyAdmin, IDisposable
{
    /// <summary>The actor named in audit records for changes picked up from disk.</summary>
    public const string FileReloadActor = "file-reload";

    private readonly PolicyStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IPolicyAuditSink? _audit;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PolicyStoreSnapshot _snapshot;
    private PolicyStoreStatus _status;

    /// <summary>Creates a store. Nothing is loaded until <see cref="ReloadAsync"/>; until then every selection fails closed.</summary>
    public PolicyStore(PolicyStoreOptions options, TimeProvider? timeProvider = null, ILogger<PolicyStore>? logger = null, IPolicyAuditSink? audit = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DefaultPolicyId);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _audit = audit;
        _snapshot = new PolicyStoreSnapshot(PolicySet.Empty(options.DefaultPolicyId, _time.GetUtcNow()), new Dictionary<string, StoredPolicy>(StringComparer.Ordinal));
        _status = new PolicyStoreStatus { HasValidSet = false, LastReloadSucceeded = false };
    }

    /// <inheritdoc />
    public PolicySet Current => Volatile.Read(ref _snapshot).Set;

    /// <inheritdoc />
    public PolicyStoreStatus Status => Volatile.Read(ref _status);

    /// <summary>The options in use.</summary>
    public PolicyStoreOptions Options => _options;

    /// <summary>
    /// Reads the directory and, when every file is valid, swaps in the new set (policies whose text did not
    /// change keep their version). When anything is invalid, the last good set stays and the diagnostics are
    /// logged and reported in <see cref="Status"/>.
    /// </summary>
    public async Task<PolicyReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await ReloadLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PolicyReloadResult> ReloadLockedAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (parsed, diagnostics) = await PolicyDirectoryReader.ReadAllAsync(
            _options.Directory,
            file => new PolicyParseOptions
            {
                File = file,
                ExpectedId = PolicyDirectoryReader.ExpectedId(file),
                SupportedFormats = _options.SupportedFormats,
                UnsupportedFormatSeverity = PolicyDiagnosticSeverity.Warning,
                LoadedAt = now,
            },
            cancellationToken);
        diagnostics.AddRange(PolicySetValidator.Validate(parsed, _options.DefaultPolicyId, _options.SupportedFormats, _options.Directory));
        var status = Status;
        LogDiagnostics(diagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            Volatile.Write(ref _status, status with
            {
                LastReloadSucceeded = false,
                LastReloadAt = now,
                LastDiagnostics = diagnostics,
                ReloadCount = status.ReloadCount + 1,
                FailedReloadCount = status.FailedReloadCount + 1,
            });
            PolicyStoreLog.ReloadRejected(_logger, diagnostics.Count(d => d.IsError), Current.Generation);
            return new PolicyReloadResult(false, [], diagnostics);
        }

        var previous = Volatile.Read(ref _snapshot);
        var entries = new Dictionary<string, StoredPolicy>(StringComparer.Ordinal);
        foreach (var policy in parsed)
        {
            // Unchanged text keeps its version: a touch or an echo of our own admin write is not a change,
            // and clients holding the version for a conditional write do not get a spurious conflict.
            entries[policy.Id!] = previous.Entries.TryGetValue(policy.Id!, out var old) && old.ContentHash == policy.ContentHash
                ? old with { FilePath = policy.File }
                : new StoredPolicy(policy.Policy!, policy.Text, policy.ContentHash, policy.File);
        }

        var changes = Diff(previous.Entries, entries, FileReloadActor, now);
        var applied = changes.Count > 0 || !status.HasValidSet;
        if (applied)
        {
            Swap(entries, now);
        }

        Volatile.Write(ref _status, Status with
        {
            HasValidSet = true,
            LastReloadSucceeded = true,
            LastReloadAt = now,
            LastSuccessAt = now,
            LastDiagnostics = diagnostics,
            ReloadCount = status.ReloadCount + 1,
        });
        if (applied)
        {
            PolicyStoreLog.SetLoaded(_logger, entries.Count, _options.Directory, Current.Generation);
        }

        Audit(changes);
        return new PolicyReloadResult(true, changes, diagnostics);
    }

    private void Swap(Dictionary<string, StoredPolicy> entries, DateTimeOffset now)
    {
        var generation = Volatile.Read(ref _snapshot).Set.Generation + 1;
        var set = new PolicySet(entries.Values.Select(e => e.Policy), _options.DefaultPolicyId, _options.SupportedFormats, generation, now);

        // The single reference write is the whole change: readers see the old snapshot or the new one.
        Volatile.Write(ref _snapshot, new PolicyStoreSnapshot(set, entries));
        var status = Volatile.Read(ref _status);
        // Valid means requests can be served: an admin write after a failed first load may add policies
        // without the default, and that is still not a servable set.
        Volatile.Write(ref _status, status with { HasValidSet = entries.ContainsKey(_options.DefaultPolicyId), PolicyCount = entries.Count, Generation = generation });
    }

    private static List<PolicyAuditRecord> Diff(
        IReadOnlyDictionary<string, StoredPolicy> before,
        Dictionary<string, StoredPolicy> after,
        string actor,
        DateTimeOffset now)
    {
        var changes = new List<PolicyAuditRecord>();
        foreach (var (id, entry) in after.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(id, out var old))
            {
                changes.Add(new PolicyAuditRecord(now, actor, PolicyChangeKind.Created, id, null, entry.Policy.Version));
            }
            else if (old.Policy.Version != entry.Policy.Version)
            {
                changes.Add(new PolicyAuditRecord(now, actor, PolicyChangeKind.Updated, id, old.Policy.Version, entry.Policy.Version));
            }
        }

        foreach (var (id, old) in before.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!after.ContainsKey(id))
            {
                changes.Add(new PolicyAuditRecord(now, actor, PolicyChangeKind.Deleted, id, old.Policy.Version, null));
            }
        }

        return changes;
    }

    private void Audit(IEnumerable<PolicyAuditRecord> changes)
    {
        foreach (var change in changes)
        {
            PolicyStoreLog.PolicyChanged(_logger, change.PolicyId, change.Change, change.Actor, change.OldVersion, change.NewVersion);
            _audit?.Record(change);
        }
    }

    private void LogDiagnostics(IEnumerable<PolicyDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.IsError)
            {
                PolicyStoreLog.DiagnosticError(_logger, d.File, d.Line, d.Column, d.Code, d.Message);
            }
            else
            {
                PolicyStoreLog.DiagnosticWarning(_logger, d.File, d.Line, d.Column, d.Code, d.Message);
            }
        }
    }

    /// <summary>Stops watching and cancels a pending reload.</summary>
    public void Dispose()
    {
        lock (_watchLock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
        }

        StopWatching();
        _disposed.Dispose();
        _gate.Dispose();
    }
}
