using System.Threading.Channels;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using GuardGateway.Inference.Prompts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// Llama Guard 3 on ONNX Runtime (spec §4–5): renders the prompt, queues it (bounded; full → immediate
/// <see cref="GuardErrorCode.QueueFull"/>), and a single worker coalesces queued requests into batched
/// forward passes with a prefix KV cache, greedy KV-cache decoding and strict parsing. Thread-safe; every
/// expected failure is a <see cref="GuardError"/> value. Create with <see cref="Create(GuardInferenceOptions, ILogger{OnnxGuardClassifier}?, TimeProvider?)"/>.
/// </summary>
public sealed partial class OnnxGuardClassifier : IGuardClassifier, IAsyncDisposable
{
    private readonly DecoderSession _decoder;
    private readonly GuardPromptRenderer _renderer;
    private readonly CategoryNumberTokens _numberTokens;
    private readonly GuardInferenceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<PendingClassification> _queue;
    private readonly PrefixKvCache? _prefixCache;
    private readonly GuardBatchRunner _runner;
    private readonly EngineCounters _counters = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _worker;
    private int _disposed;

    private OnnxGuardClassifier(GuardModelDirectory model, DecoderSession decoder, GuardInferenceOptions options, ILogger logger, TimeProvider time, TaskCompletionSource? gate)
    {
        ModelDirectory = model;
        Model = model.Info;
        _decoder = decoder;
        _options = options;
        _logger = logger;
        _time = time;
        _gate = gate;
        _renderer = new GuardPromptRenderer(model.Tokenizer);
        _numberTokens = new CategoryNumberTokens(model.Tokenizer);
        _queue = Channel.CreateBounded<PendingClassification>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _prefixCache = options.PrefixCacheEnabled ? new PrefixKvCache(options.PrefixCacheCapacity) : null;
        _runner = new GuardBatchRunner(decoder, _prefixCache, model.Tokenizer, options.MaxNewTokens, model.Info.Name, time, _counters);
        _worker = StartWorkerThread();
    }

    /// <inheritdoc />
    public GuardModelInfo Model { get; }

    /// <summary>The loaded model directory (config, tokenizer, graph path).</summary>
    public GuardModelDirectory ModelDirectory { get; }

    /// <summary>Requests waiting in the queue (not yet taken into a batch).</summary>
    public int QueueLength => _queue.Reader.Count;

    /// <summary>
    /// Forward passes executing inside ONNX Runtime now. Back to 0 once no batch runs: a batch whose callers all
    /// cancelled is stopped with <c>RunOptions.Terminate</c>, and a run is counted down however it ends.
    /// </summary>
    public int ActiveRuns => _decoder.ActiveRuns;

    /// <summary>Forward passes stopped early (every caller of the batch cancelled, or shutdown) since start.</summary>
    public long TerminatedRuns => _decoder.TerminatedRuns;

    /// <summary>Counters since start (batches, prefill tokens, prefix cache hits, rejections).</summary>
    public GuardEngineStatistics Statistics => _counters.Snapshot();

    /// <summary>
    /// Loads <see cref="GuardInferenceOptions.ModelDirectory"/> and opens the ONNX Runtime session. Invalid
    /// options are <see cref="GuardErrorCode.InvalidRequest"/>; unusable directories or graphs
    /// <see cref="GuardErrorCode.ModelInvalid"/>; an unavailable CUDA provider (without fallback)
    /// <see cref="GuardErrorCode.ClassifierFailure"/>.
    /// </summary>
    public static Result<OnnxGuardClassifier> Create(GuardInferenceOptions options, ILogger<OnnxGuardClassifier>? logger = null, TimeProvider? timeProvider = null) =>
        CreateWithCancellation(options, logger, timeProvider, CancellationToken.None);

    /// <summary>
    /// As <see cref="Create(GuardInferenceOptions, ILogger{OnnxGuardClassifier}?, TimeProvider?)"/>; the
    /// model files' digests (<see cref="GuardInferenceOptions.Sha256"/>) are checked before the session is
    /// opened, and <paramref name="cancellationToken"/> stops that check (a <see cref="GuardErrorCode.Cancelled"/>
    /// result). A distinct name, not a <c>Create</c> overload, so existing synchronous callers in async code
    /// do not trip CA2016.
    /// </summary>
    public static Result<OnnxGuardClassifier> CreateWithCancellation(GuardInferenceOptions options, ILogger<OnnxGuardClassifier>? logger, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = GuardInferenceOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            return GuardError.Invalid("Invalid inference options: " + string.Join(" ", errors));
        }

        var pins = ModelPins.From(options);
        if (!pins.IsSuccess)
        {
            return pins.Error;
        }

        var model = GuardModelLoader.Load(options.ModelDirectory, options.GraphFile, pins.Value, cancellationToken);
        return model.IsSuccess ? Create(model.Value, options, logger, timeProvider) : model.Error;
    }

    /// <summary>Opens the ONNX Runtime session over an already loaded model directory.</summary>
    public static Result<OnnxGuardClassifier> Create(GuardModelDirectory model, GuardInferenceOptions options, ILogger<OnnxGuardClassifier>? logger = null, TimeProvider? timeProvider = null) =>
        Create(model, options, logger, timeProvider, gate: null);

    /// <summary>Test seam: a <paramref name="gate"/> holds the worker before each batch until completed.</summary>
    internal static Result<OnnxGuardClassifier> Create(GuardModelDirectory model, GuardInferenceOptions options, ILogger<OnnxGuardClassifier>? logger, TimeProvider? timeProvider, TaskCompletionSource? gate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var errors = GuardInferenceOptionsValidator.Check(options);
        if (errors.Count > 0)
        {
            return GuardError.Invalid("Invalid inference options: " + string.Join(" ", errors));
        }

        ILogger log = logger ?? (ILogger)NullLogger.Instance;
        var decoder = OrtSessionFactory.Create(model, options, log);
        if (!decoder.IsSuccess)
        {
            return decoder.Error;
        }

        return new OnnxGuardClassifier(model, decoder.Value, options, log, timeProvider ?? TimeProvider.System, gate);
    }

    /// <inheritdoc />
    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return Fail(GuardErrorCode.ClassifierFailure, "The classifier is shut down.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Fail(GuardErrorCode.Cancelled, "The classification was cancelled.");
        }

        var format = GuardPromptFormat.Find(request.FormatId);
        if (format is null || !Model.SupportedFormats.Contains(format.Id))
        {
            return Fail(GuardErrorCode.InvalidRequest, $"The model {Model.Name} serves {string.Join(", ", Model.SupportedFormats)}, not '{request.FormatId}'.");
        }

        if (float.IsNaN(request.CategoryThreshold) || request.CategoryThreshold < 0 || request.CategoryThreshold > 1)
        {
            return Fail(GuardErrorCode.InvalidRequest, "CategoryThreshold must be between 0 and 1.");
        }

        var rendered = _renderer.Render(new GuardPromptRequest
        {
            Format = format,
            Messages = request.Messages,
            Categories = request.Categories,
            ExcludedCategoryKeys = request.ExcludedCodes ?? [],
            IncludeDescriptions = request.IncludeDescriptions,
        });
        if (!rendered.IsSuccess)
        {
            return ValueTask.FromResult<Result<GuardClassification>>(rendered.Error);
        }

        var ids = rendered.Value.Ids;
        if (ids.Length > _options.MaxPromptTokens)
        {
            return Fail(GuardErrorCode.PromptTooLong, $"The guard prompt has {ids.Length} tokens; the limit is {_options.MaxPromptTokens}. It is not truncated.");
        }

        var codes = rendered.Value.Categories.Select(c => c.Code).ToArray();
        var pending = new PendingClassification(ids, rendered.Value.SharedPrefixLength, codes, [.. codes.Select(_numberTokens.Get)], request.CategoryThreshold, _time.GetTimestamp());
        if (!_queue.Writer.TryWrite(pending))
        {
            if (_worker.IsCompleted)
            {
                return Fail(GuardErrorCode.ClassifierFailure, "The inference worker has stopped (shut down, or failed: see the log).");
            }

            _counters.QueueRejected();
            return Fail(GuardErrorCode.QueueFull, $"The inference queue is full ({_options.QueueCapacity} waiting).");
        }

        pending.RegisterCancellation(cancellationToken);
        return AwaitAsync(pending);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _shutdown.CancelAsync();
        _gate?.TrySetResult();
        try
        {
            await _worker;
        }
        finally
        {
            _prefixCache?.Dispose();
            _decoder.Dispose();
            _shutdown.Dispose();
        }
    }

    private static async ValueTask<Result<GuardClassification>> AwaitAsync(PendingClassification pending)
    {
        using (pending)
        {
            return await pending.Task;
        }
    }

    private static ValueTask<Result<GuardClassification>> Fail(GuardErrorCode code, string message) =>
        ValueTask.FromResult<Result<GuardClassification>>(new GuardError(code, message));
}
