using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Logging;

/// <summary>
/// Every log event of the server, with stable ids. Never prompt or response text, never keys: lengths,
/// counts, policy ids and versions, key ids and categories only (ARCHITECTURE.md §6, RELIABILITY.md T19).
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Refused {Method}: {Reason}")]
    public static partial void CallRefused(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Refused {Method} for key {KeyId}: admin key required")]
    public static partial void CallForbidden(ILogger logger, string method, string keyId);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "Unexpected {ExceptionType} in {Method} (a bug); caller got INTERNAL. Stack: {StackTrace}")]
    public static partial void UnexpectedError(ILogger logger, string method, string exceptionType, string stackTrace);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Loading guard model from {ModelPath} (demo: {IsDemo})")]
    public static partial void ModelLoading(ILogger logger, string modelPath, bool isDemo);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Guard model {Model} ready (demo: {IsDemo}, formats: {Formats}) after {ElapsedMs} ms")]
    public static partial void ModelLoaded(ILogger logger, string model, bool isDemo, string formats, long elapsedMs);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Guard model failed to load ({Code}): {Reason}. The service stays NOT_SERVING.")]
    public static partial void ModelLoadFailed(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "DEMO MODEL: {Model} is the planted test guard, not a safety model. Set Guard:ModelPath to a Llama Guard 3 directory for real use.")]
    public static partial void DemoModelInUse(ILogger logger, string model);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Forging the planted demo guard into {Directory}")]
    public static partial void DemoModelForging(ILogger logger, string directory);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "{Role} key configured: {KeyId}")]
    public static partial void KeyConfigured(ILogger logger, string role, string keyId);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "No Auth:ClientKeys configured: moderation calls are not authenticated")]
    public static partial void ClientAuthDisabled(ILogger logger);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "No Auth:AdminKeys configured: the admin API refuses every call")]
    public static partial void AdminDisabled(ILogger logger);

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Moderated request {RequestId}: {Decision} ({Direction}, policy {PolicyId}@{PolicyVersion}, {MessageCount} messages, {ContentLength} chars, categories [{Categories}]) in {ElapsedMs} ms")]
    public static partial void Moderated(ILogger logger, string requestId, string decision, string direction, string policyId, string policyVersion, int messageCount, int contentLength, string categories, double elapsedMs);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "No verdict for request {RequestId} ({Reason}); policy {PolicyId} fails {FailMode}: {Decision}")]
    public static partial void NoVerdict(ILogger logger, string requestId, string reason, string policyId, string failMode, string decision);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "AUDIT policy {Operation}: {PolicyId} {PreviousVersion} -> {NewVersion} by {KeyId}")]
    public static partial void PolicyAudit(ILogger logger, string operation, string policyId, string previousVersion, string newVersion, string keyId);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Policy {Operation} of {PolicyId} refused ({Reason}) for {KeyId}")]
    public static partial void PolicyChangeRefused(ILogger logger, string operation, string policyId, GuardGateway.Core.Policies.PolicyAdminErrorKind reason, string keyId);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Policy {Operation} of {PolicyId} refused: {RelaxationCount} protected-category relaxations need a policy-owner key ({KeyId})")]
    public static partial void PolicyChangeNeedsElevation(ILogger logger, string operation, string policyId, int relaxationCount, string keyId);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Aborted HTTP/2 connection {ConnectionId} from {RemoteEndPoint}: PING flood (over {PingBurst} at once or {PingsPerSecond} per second, Http2Guard); {HeldBack} more aborted since the previous warning (at most one warning per 10 s, every abort counted in guardgateway_http2_connections_aborted_total)")]
    public static partial void Http2PingFlood(ILogger logger, string connectionId, string remoteEndPoint, int pingBurst, double pingsPerSecond, int heldBack);
}
