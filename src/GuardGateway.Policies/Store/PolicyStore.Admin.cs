using System.Text;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Parsing;

namespace GuardGateway.Policies.Store;

/// <summary>Admin operations: list, get, validate, put and delete with optimistic concurrency.</summary>
public sealed partial class PolicyStore
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <inheritdoc />
    public IReadOnlyList<ModerationPolicy> ListPolicies() => Current.Policies;

    /// <inheritdoc />
    public PolicyAdminResult<PolicyDocument> GetPolicy(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Volatile.Read(ref _snapshot).Entries.TryGetValue(id, out var entry)
            ? new PolicyDocument(id, entry.Policy.Version, entry.Text)
            : NotFound(id);
    }

    /// <inheritdoc />
    public PolicyValidation ValidatePolicy(string yamlText, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        var (parsed, diagnostics) = ParseSubmission(yamlText, id, Volatile.Read(ref _snapshot), _time.GetUtcNow());
        return new PolicyValidation(diagnostics.Any(d => d.IsError) ? null : parsed.Policy, diagnostics);
    }

    /// <inheritdoc />
    public async ValueTask<PolicyAdminResult<PolicyDocument>> PutPolicyAsync(string id, string yamlText, string? expectedVersion, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(actor);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = Volatile.Read(ref _snapshot);
            snapshot.Entries.TryGetValue(id, out var existing);
            if (CheckVersion(id, existing, expectedVersion) is { } conflict)
            {
                return conflict;
            }

            var now = _time.GetUtcNow();
            var (parsed, diagnostics) = ParseSubmission(yamlText, id, snapshot, now);
            if (diagnostics.Any(d => d.IsError))
            {
                return new PolicyAdminError(PolicyAdminErrorKind.Invalid, $"The policy '{Shorten(id)}' is invalid ({diagnostics.Count(d => d.IsError)} errors).") { Diagnostics = diagnostics };
            }

            if (existing is not null && existing.ContentHash == parsed.ContentHash)
            {
                // Same text as served: the version stays and nothing is audited. But the file may hold an edit
                // not reloaded yet; the put must still leave its text on disk, or the next reload would
                // silently replace what the admin just confirmed (found by the T17 model-based test).
                if (!await FileHoldsAsync(existing.FilePath, yamlText, cancellationToken)
                    && await WriteAtomicallyAsync(id, existing.FilePath, yamlText, cancellationToken) is { } rewriteFailure)
                {
                    return rewriteFailure;
                }

                return new PolicyDocument(id, existing.Policy.Version, existing.Text);
            }

            var path = existing?.FilePath ?? Path.Combine(_options.Directory, id + ".yaml");
            if (await WriteAtomicallyAsync(id, path, yamlText, cancellationToken) is { } failure)
            {
                return failure;
            }

            var entries = new Dictionary<string, StoredPolicy>(snapshot.Entries, StringComparer.Ordinal)
            {
                [id] = new StoredPolicy(parsed.Policy!, yamlText, parsed.ContentHash, path),
            };
            Swap(entries, now);
            Audit([new PolicyAuditRecord(now, actor, existing is null ? PolicyChangeKind.Created : PolicyChangeKind.Updated, id, existing?.Policy.Version, parsed.Policy!.Version)]);
            return new PolicyDocument(id, parsed.Policy!.Version, yamlText);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<PolicyAdminResult<string>> DeletePolicyAsync(string id, string expectedVersion, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(expectedVersion);
        ArgumentNullException.ThrowIfNull(actor);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (!snapshot.Entries.TryGetValue(id, out var existing))
            {
                return NotFound(id);
            }

            if (CheckVersion(id, existing, expectedVersion) is { } conflict)
            {
                return conflict;
            }

            if (id == _options.DefaultPolicyId)
            {
                var diagnostic = new PolicyDiagnostic(existing.FilePath, 0, 0, PolicyDiagnosticCodes.MissingDefault,
                    $"'{id}' is the default policy; replace it instead of deleting it (or configure another default first).");
                return new PolicyAdminError(PolicyAdminErrorKind.Invalid, diagnostic.Message) { Diagnostics = [diagnostic] };
            }

            try
            {
                File.Delete(existing.FilePath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                PolicyStoreLog.StorageFailed(_logger, id, exception.GetType().Name);
                return new PolicyAdminError(PolicyAdminErrorKind.StorageFailure, $"The file of policy '{id}' could not be deleted ({exception.GetType().Name}).");
            }

            var now = _time.GetUtcNow();
            var entries = new Dictionary<string, StoredPolicy>(snapshot.Entries, StringComparer.Ordinal);
            entries.Remove(id);
            Swap(entries, now);
            Audit([new PolicyAuditRecord(now, actor, PolicyChangeKind.Deleted, id, existing.Policy.Version, null)]);
            return existing.Policy.Version;
        }
        finally
        {
            _gate.Release();
        }
    }

    private (ParsedPolicy Parsed, List<PolicyDiagnostic> Diagnostics) ParseSubmission(string yamlText, string? id, PolicyStoreSnapshot snapshot, DateTimeOffset now)
    {
        var label = id is null ? "<policy>" : Shorten(id) + ".yaml";
        var parsed = PolicyParser.Parse(yamlText, new PolicyParseOptions
        {
            File = label,
            ExpectedId = id,
            SupportedFormats = _options.SupportedFormats,

            // Pushing a policy this server cannot serve is a mistake, unlike a file for another model on disk.
            UnsupportedFormatSeverity = PolicyDiagnosticSeverity.Error,
            LoadedAt = now,
        });
        var diagnostics = new List<PolicyDiagnostic>(parsed.Diagnostics);
        if (id is not null && !IsValidId(id))
        {
            diagnostics.Add(new PolicyDiagnostic(label, 0, 0, PolicyDiagnosticCodes.InvalidId, "The policy id must be 1–64 lower-case letters, digits, '-' or '_'."));
        }

        if (parsed.Id is not null && !parsed.HasErrors)
        {
            // Set-level checks against the other stored policies (their bindings come from their parsed text).
            var others = snapshot.Entries.Values
                .Where(e => e.Policy.Id != parsed.Id)
                .Select(e => PolicyParser.Parse(e.Text, new PolicyParseOptions { File = e.FilePath, LoadedAt = now }))
                .ToList();
            others.Add(parsed);
            var defaultId = parsed.Id == _options.DefaultPolicyId ? _options.DefaultPolicyId : null;
            diagnostics.AddRange(PolicySetValidator.Validate(others, defaultId, _options.SupportedFormats, _options.Directory)
                .Where(d => d.File == label));
        }

        return (parsed, diagnostics);
    }

    private static PolicyAdminError? CheckVersion(string id, StoredPolicy? existing, string? expectedVersion)
    {
        if (expectedVersion == PolicyVersions.Any)
        {
            return null;
        }

        if (expectedVersion is null)
        {
            return existing is null
                ? null
                : new PolicyAdminError(PolicyAdminErrorKind.VersionConflict, $"Policy '{id}' already exists; pass its current version to replace it.") { CurrentVersion = existing.Policy.Version };
        }

        if (existing is null)
        {
            return new PolicyAdminError(PolicyAdminErrorKind.VersionConflict, $"Policy '{Shorten(id)}' does not exist (expected version {Shorten(expectedVersion)}).");
        }

        return existing.Policy.Version == expectedVersion
            ? null
            : new PolicyAdminError(PolicyAdminErrorKind.VersionConflict, $"Policy '{id}' is at version {existing.Policy.Version}, not {Shorten(expectedVersion)}.") { CurrentVersion = existing.Policy.Version };
    }

    private async Task<PolicyAdminError?> WriteAtomicallyAsync(string id, string path, string text, CancellationToken cancellationToken)
    {
        // Temp file in the same directory, then rename over the target: readers (and the watcher) see the old
        // file or the new one, never a half-written one. The temp name does not match *.yaml / *.yml.
        var temp = Path.Combine(_options.Directory, $".{id}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(_options.Directory);
            await File.WriteAllTextAsync(temp, text, Utf8NoBom, cancellationToken);
            File.Move(temp, path, overwrite: true);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            PolicyStoreLog.StorageFailed(_logger, id, exception.GetType().Name);
            return new PolicyAdminError(PolicyAdminErrorKind.StorageFailure, $"The file of policy '{id}' could not be written ({exception.GetType().Name}); nothing changed.");
        }
        catch (OperationCanceledException)
        {
            TryDelete(temp);
            throw;
        }
    }

    private static async Task<bool> FileHoldsAsync(string path, string text, CancellationToken cancellationToken)
    {
        try
        {
            return string.Equals(await File.ReadAllTextAsync(path, Utf8NoBom, cancellationToken), text, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Missing or unreadable: write it.
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file is ignored by the loader.
        }
    }

    private static PolicyAdminError NotFound(string id) => new(PolicyAdminErrorKind.NotFound, $"No policy '{Shorten(id)}'.");

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_') && id[0] is not '-' and not '_';

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
