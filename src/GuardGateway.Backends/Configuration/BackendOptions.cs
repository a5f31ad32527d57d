namespace GuardGateway.Backends.Configuration;

/// <summary>One model server: where it is, which models it serves, and how calls to it are protected.</summary>
public sealed class BackendOptions
{
    /// <summary>A unique name (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>), used in pipeline keys, logs and errors. Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>The protocol. Required (<c>openai</c> or <c>kserve</c>).</summary>
    public BackendKind? Kind { get; set; }

    /// <summary>
    /// The base address, absolute <c>http</c> or <c>https</c>. For <c>openai</c> the server root (paths <c>/v1/...</c> are
    /// appended after any path given here, so <c>http://host:8000</c> and <c>http://host:8000/proxy</c> both work).
    /// For <c>kserve</c> the gRPC address (plain <c>http</c> means HTTP/2 without TLS). Required.
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>The model names routed here (exact, case-sensitive); <c>*</c> makes this the default backend. At least one.</summary>
    public IList<string> Models { get; } = [];

    /// <summary>TCP connect timeout. Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Timeout of one attempt: for a unary call the whole answer; for a stream until it is open (OpenAI: the response
    /// headers; KServe: the first response message). Default 60 s.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout over all attempts of one call, retry delays included (same scope as <see cref="AttemptTimeout"/>). Default 90 s.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Longest silence allowed between two reads of an open stream before it fails with BackendTimeout. Default 30 s.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest an open stream may last in total. Default 10 min.</summary>
    public TimeSpan StreamMaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest unary response body accepted, in bytes; larger is a protocol error, never buffered beyond. Default 16 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest SSE line, in bytes (longer is a protocol error). Default 1 MiB.</summary>
    public int MaxSseLineBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest SSE event (all its data lines), in bytes. Default 4 MiB.</summary>
    public int MaxSseEventBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Retries of attempts that failed before the first response byte.</summary>
    public BackendRetryOptions Retry { get; set; } = new();

    /// <summary>This backend's circuit breaker.</summary>
    public BackendBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>This backend's concurrency limit.</summary>
    public BackendConcurrencyOptions Concurrency { get; set; } = new();

    /// <summary>Tensor names and encoding, for <c>kserve</c> backends only.</summary>
    public KServeBackendOptions KServe { get; set; } = new();
}
