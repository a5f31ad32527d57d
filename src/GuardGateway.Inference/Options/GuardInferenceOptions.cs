namespace GuardGateway.Inference.Options;

/// <summary>
/// Settings of the ONNX Runtime guard engine (configuration section <c>Guard:Inference</c> by
/// convention). Validated at startup by <see cref="GuardInferenceOptionsValidator"/>.
/// </summary>
public sealed class GuardInferenceOptions
{
    /// <summary>The conventional configuration section name.</summary>
    public const string SectionName = "Guard:Inference";

    /// <summary>
    /// The model directory: <c>config.json</c>, a tokenizer and an ONNX graph (see <c>GuardModelLoader</c>).
    /// Required.
    /// </summary>
    public string ModelDirectory { get; set; } = string.Empty;

    /// <summary>
    /// The graph file, relative to <see cref="ModelDirectory"/> or absolute. Null (default) picks the first
    /// existing file of <c>GraphFileResolver.PreferenceOrder</c> (<c>model.onnx</c>, <c>onnx/model.onnx</c>,
    /// <c>onnx/model_fp16.onnx</c>, <c>onnx/model_q4.onnx</c>, ...).
    /// </summary>
    public string? GraphFile { get; set; }

    /// <summary>The execution provider. Default <see cref="GuardExecutionProvider.Cpu"/>.</summary>
    public GuardExecutionProvider ExecutionProvider { get; set; } = GuardExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal when <see cref="ExecutionProvider"/> is CUDA. Default 0.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>
    /// When CUDA was asked for but cannot be initialised: run on the CPU (true) or fail to load (false,
    /// default). A fallback is logged as a warning.
    /// </summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 (default) lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Maximum prompt length in tokens (the rendered guard prompt, template included). Longer conversations
    /// are rejected with <c>PromptTooLong</c>, never truncated. Default 4096; range 16–131072.
    /// </summary>
    public int MaxPromptTokens { get; set; } = 4096;

    /// <summary>Maximum generated tokens per answer (spec §4). Default 24; range 1–256.</summary>
    public int MaxNewTokens { get; set; } = 24;

    /// <summary>
    /// Maximum requests coalesced into one batched forward pass. 1 disables batching. Default 8; range 1–256.
    /// </summary>
    public int MaxBatchSize { get; set; } = 8;

    /// <summary>
    /// How long the worker waits for more requests after the first one of a batch arrives. Default 2 ms;
    /// range 0–1 s. Zero takes only what is already queued.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Requests that may wait in the queue; one more is rejected at once with <c>QueueFull</c>.
    /// Default 256; range 1–100000.
    /// </summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>
    /// Reuse the KV cache of the prompt part before the conversation (same for every request under one
    /// format, role and category set). Default true.
    /// </summary>
    public bool PrefixCacheEnabled { get; set; } = true;

    /// <summary>How many distinct prompt prefixes the prefix cache keeps (least recently used evicted). Default 32; range 1–4096.</summary>
    public int PrefixCacheCapacity { get; set; } = 32;

    /// <summary>
    /// Edit the graph at load so that <c>lm_head</c> runs on the last position only (the engine never reads
    /// other rows). Falls back to the unedited graph, reading the last row, when the graph has no
    /// recognisable <c>lm_head</c>. Default true.
    /// </summary>
    public bool LastPositionLogitsOnly { get; set; } = true;

    /// <summary>
    /// Expected SHA-256 digests (64 hex characters) of model directory files, keyed by the file name
    /// relative to <see cref="ModelDirectory"/> with '/' separators (<c>model.onnx</c>,
    /// <c>onnx/model_fp16.onnx_data</c>, <c>tokenizer.json</c>). Every pinned file must exist and match
    /// before anything is parsed, else the model does not load (<c>ModelInvalid</c>). Print them with
    /// <c>guardctl pin --model DIR</c>. Suits JSON configuration; for environment variables see
    /// <see cref="Sha256Pins"/>.
    /// </summary>
    public IDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The same pins as <c>file=digest</c> strings, merged with <see cref="Sha256"/>. Environment variables
    /// cannot carry file names as keys (<c>Guard__Inference__Sha256__model.onnx_data</c> has a dot, and
    /// <c>onnx/model.onnx</c> a slash, which shells and older Kubernetes reject), so a list indexed
    /// <c>Guard__Inference__Sha256Pins__0=model.onnx=…</c> is the portable form.
    /// </summary>
    public IList<string> Sha256Pins { get; } = [];

    /// <summary>
    /// Refuse to load unless the graph, every external data file it names and the tokenizer are pinned.
    /// Default false (pins, when present, are still checked).
    /// </summary>
    public bool RequirePins { get; set; }
}
