using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Options;
using GuardGateway.Server.Hosting;
using GuardGateway.Server.Logging;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Model;

/// <summary>
/// The production model source: the ONNX Runtime engine over <c>Guard:ModelPath</c>, or, when that is empty,
/// over the planted demo guard, forged on first start into the cache (no tokenizer file: the engine uses the
/// offline demo tokenizer; no network).
/// </summary>
internal sealed class EngineModelSource(
    IOptions<GuardOptions> guardOptions,
    IOptions<GuardInferenceOptions> inferenceOptions,
    TimeProvider time,
    ILoggerFactory loggers) : IGuardModelSource
{
    private readonly ILogger logger = loggers.CreateLogger<EngineModelSource>();

    public string Location => guardOptions.Value.ModelPath.Length > 0 ? guardOptions.Value.ModelPath : DemoDirectory;

    private string DemoDirectory => guardOptions.Value.DemoModelCachePath.Length > 0
        ? guardOptions.Value.DemoModelCachePath
        : ServerPaths.DefaultDemoModelDirectory();

    public Task<Result<IGuardClassifier>> LoadAsync(CancellationToken cancellationToken) =>
        // Forging and session creation are CPU-bound and synchronous: keep them off the startup thread.
        Task.Run(() => Load(cancellationToken), cancellationToken);

    private Result<IGuardClassifier> Load(CancellationToken cancellationToken)
    {
        var path = guardOptions.Value.ModelPath;
        var isDemo = path.Length == 0;
        if (isDemo)
        {
            var forged = DemoGuard.GetOrForge(DemoDirectory, logger);
            if (!forged.IsSuccess)
            {
                return forged.Error;
            }

            path = forged.Value;
        }

        cancellationToken.ThrowIfCancellationRequested();
        ServerLog.ModelLoading(logger, path, isDemo);
        var options = Copy(inferenceOptions.Value, path);
        // Pinned digests (Guard:Inference:Sha256) are checked inside, before the session exists: a mismatch is
        // a ModelInvalid value and the service stays NOT_SERVING.
        var created = OnnxGuardClassifier.CreateWithCancellation(options, loggers.CreateLogger<OnnxGuardClassifier>(), time, cancellationToken);
        return created.IsSuccess ? Result.Success<IGuardClassifier>(created.Value) : created.Error;
    }

    private static GuardInferenceOptions Copy(GuardInferenceOptions source, string modelDirectory)
    {
        var copy = new GuardInferenceOptions
        {
            ModelDirectory = modelDirectory,
            GraphFile = source.GraphFile,
            ExecutionProvider = source.ExecutionProvider,
            CudaDeviceId = source.CudaDeviceId,
            FallbackToCpu = source.FallbackToCpu,
            IntraOpThreads = source.IntraOpThreads,
            MaxPromptTokens = source.MaxPromptTokens,
            MaxNewTokens = source.MaxNewTokens,
            MaxBatchSize = source.MaxBatchSize,
            BatchWindow = source.BatchWindow,
            QueueCapacity = source.QueueCapacity,
            PrefixCacheEnabled = source.PrefixCacheEnabled,
            PrefixCacheCapacity = source.PrefixCacheCapacity,
            LastPositionLogitsOnly = source.LastPositionLogitsOnly,
            RequirePins = source.RequirePins,
        };
        foreach (var (file, digest) in source.Sha256)
        {
            copy.Sha256[file] = digest;
        }

        foreach (var pin in source.Sha256Pins)
        {
            copy.Sha256Pins.Add(pin);
        }

        return copy;
    }
}
