using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Proxy;

/// <summary>Proxy log messages (event ids 500-599). Never text: ids, codes and policy ids only.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Request {RequestId} blocked on input by policy {PolicyId} (no verdict: {NoVerdict}); no backend call")]
    public static partial void InputBlocked(ILogger logger, string requestId, string policyId, bool noVerdict);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Request {RequestId}: backend {Backend} failed ({Code})")]
    public static partial void BackendFailed(ILogger logger, string requestId, string backend, string code);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Refused {Front} call {Route}: {Code}")]
    public static partial void Refused(ILogger logger, string front, string route, string code);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Request {RequestId} released text without a verdict: policy {PolicyId} fails open")]
    public static partial void FailedOpen(ILogger logger, string requestId, string policyId);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Request {RequestId}: stream ended with an error ({Code}) after text was released")]
    public static partial void StreamFailed(ILogger logger, string requestId, string code);
}
