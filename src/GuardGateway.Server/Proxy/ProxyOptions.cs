namespace GuardGateway.Server.Proxy;

/// <summary>The gateway proxy (configuration section <c>Proxy</c>); the model servers themselves are the <c>Backends</c> list.</summary>
public sealed class ProxyOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Proxy";

    /// <summary>Largest HTTP request body in bytes (default 4 MiB); larger ones get 413 and are never buffered beyond the limit.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// What a client gets when the guard gave no verdict and the policy fails closed: <see cref="NoVerdictResponse.Refusal"/>
    /// (the default: a normal answer with <c>finish_reason: content_filter</c>, the refusal and <c>no_verdict: true</c>) or
    /// <see cref="NoVerdictResponse.Error"/> (HTTP 503 / gRPC UNAVAILABLE). Either way nothing unjudged is forwarded or released.
    /// </summary>
    public NoVerdictResponse NoVerdictResponse { get; set; } = NoVerdictResponse.Refusal;

    /// <summary>
    /// A Llama 3 <c>tokenizer.json</c> / <c>tokenizer.model</c> used to decode token-id prompts of <c>/v1/completions</c>
    /// so they can be moderated. Empty (the default) = token-id prompts are refused with 400.
    /// </summary>
    public string PromptTokenizerPath { get; set; } = string.Empty;

    /// <summary>The block-latency floor: content-blocked answers take as long as allowed ones (<see cref="BlockedLatencyOptions"/>).</summary>
    public BlockedLatencyOptions BlockedLatency { get; set; } = new();

    /// <summary>Most prompts in one <c>/v1/completions</c> request and most inputs in one <c>/v1/moderations</c> request (default 32).</summary>
    public int MaxPrompts { get; set; } = 32;
}
