namespace GuardGateway.Server.Errors;

/// <summary>The stable <c>google.rpc.ErrorInfo.reason</c> values of the GuardGateway API.</summary>
internal static class ErrorReasons
{
    /// <summary>The <c>google.rpc.ErrorInfo.domain</c> of every GuardGateway error.</summary>
    public const string Domain = "guardgateway.v1";

    public const string MissingApiKey = "MISSING_API_KEY";
    public const string InvalidApiKey = "INVALID_API_KEY";
    public const string AdminKeyRequired = "ADMIN_KEY_REQUIRED";
    public const string AdminDisabled = "ADMIN_DISABLED";
    public const string ElevationRequired = "ELEVATION_REQUIRED";
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string PromptTooLong = "PROMPT_TOO_LONG";
    public const string QueueFull = "QUEUE_FULL";
    public const string ConcurrencyLimit = "CONCURRENCY_LIMIT";
    public const string BatchTooLarge = "BATCH_TOO_LARGE";
    public const string Cancelled = "CANCELLED";
    public const string ParseFailure = "PARSE_FAILURE";
    public const string ClassifierFailure = "CLASSIFIER_FAILURE";
    public const string ModelInvalid = "MODEL_INVALID";
    public const string ModelNotReady = "MODEL_NOT_READY";
    public const string PolicyNotFound = "POLICY_NOT_FOUND";
    public const string PolicyInvalid = "POLICY_INVALID";
    public const string PolicyUnavailable = "POLICY_UNAVAILABLE";
    public const string PolicyStorageFailure = "POLICY_STORAGE_FAILURE";
    public const string PolicyExists = "POLICY_EXISTS";
    public const string VersionConflict = "VERSION_CONFLICT";
    public const string DefaultPolicyProtected = "DEFAULT_POLICY_PROTECTED";
    public const string Internal = "INTERNAL";
}
