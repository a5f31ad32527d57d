namespace GuardGateway.Server.Options;

/// <summary>Request limits (configuration section <c>Limits</c>).</summary>
public sealed class LimitsOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Limits";

    /// <summary>
    /// Largest gRPC message in bytes, request or response (default 4 MiB); a larger request, or a response that would be
    /// larger (a relayed Chat answer), ends the call with <c>RESOURCE_EXHAUSTED</c>.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Moderation calls handled at once (default 64); more get <c>RESOURCE_EXHAUSTED</c> at once, never queue.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>
    /// Server-side deadline of one moderation call in seconds (default 30), on top of the caller's own
    /// deadline; when it passes there is no verdict and the policy's fail mode decides.
    /// </summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Most conversations in one <c>ModerateBatch</c> call (default 32).</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>Most messages in one conversation (default 256).</summary>
    public int MaxMessages { get; set; } = 256;
}
