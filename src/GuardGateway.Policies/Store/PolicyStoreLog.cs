using GuardGateway.Core.Policies;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Policies.Store;

/// <summary>Policy store log events (ids 2000–2099). Policy ids, versions, files and diagnostics only: never text.</summary>
internal static partial class PolicyStoreLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Loaded {PolicyCount} policies from {Directory} (generation {Generation})")]
    public static partial void SetLoaded(ILogger logger, int policyCount, string directory, long generation);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Policy reload rejected with {ErrorCount} errors; keeping generation {Generation}")]
    public static partial void ReloadRejected(ILogger logger, int errorCount, long generation);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Policy error {File}:{Line}:{Column} {Code}: {Diagnostic}")]
    public static partial void DiagnosticError(ILogger logger, string file, int line, int column, string code, string diagnostic);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Policy warning {File}:{Line}:{Column} {Code}: {Diagnostic}")]
    public static partial void DiagnosticWarning(ILogger logger, string file, int line, int column, string code, string diagnostic);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Policy {PolicyId} {Change} by {Actor}: {OldVersion} -> {NewVersion}")]
    public static partial void PolicyChanged(ILogger logger, string policyId, PolicyChangeKind change, string actor, string? oldVersion, string? newVersion);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Cannot watch the policy directory {Directory}; edits need an explicit reload")]
    public static partial void WatchFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "A scheduled policy reload failed unexpectedly")]
    public static partial void ScheduledReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "The policy directory watcher overflowed or failed; scheduling a full reload")]
    public static partial void WatcherError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Admin write of policy {PolicyId} failed ({ErrorType}); nothing changed")]
    public static partial void StorageFailed(ILogger logger, string policyId, string errorType);
}
