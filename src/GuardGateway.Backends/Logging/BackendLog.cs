using Microsoft.Extensions.Logging;

namespace GuardGateway.Backends.Logging;

/// <summary>Log messages of the backends. Never any prompt or response text: names, codes, sizes and counts only.</summary>
internal static partial class BackendLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Backend {Backend} call failed: {ErrorCode}")]
    public static partial void CallFailed(ILogger logger, string backend, Core.Results.GuardErrorCode errorCode);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Backend {Backend} stream failed after {Events} events: {ErrorCode}")]
    public static partial void StreamFailed(ILogger logger, string backend, int events, Core.Results.GuardErrorCode errorCode);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Backend {Backend} answered HTTP {Status} before any body")]
    public static partial void UnsuccessfulStatus(ILogger logger, string backend, int status);
}
