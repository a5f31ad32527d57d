using Microsoft.Extensions.Logging;

namespace GuardGateway.Inference.Engine;

/// <summary>Engine log messages. Never prompt or answer text: names, counts, timings, exception types only.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Guard model {Model} loaded from {Graph}: {Layers} layers, KV {KvType}, position_ids {HasPositionIds}, last-position logits {LastPositionOnly}")]
    public static partial void ModelLoaded(ILogger logger, string model, string graph, int layers, Microsoft.ML.OnnxRuntime.Tensors.TensorElementType kvType, bool hasPositionIds, bool lastPositionOnly);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "CUDA execution provider unavailable: {Reason}")]
    public static partial void CudaUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "CUDA execution provider unavailable, falling back to CPU as configured: {Reason}")]
    public static partial void CudaFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Graph left unedited (lm_head runs on every position, the last row is read): {Reason}")]
    public static partial void LastPositionEditSkipped(ILogger logger, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Guard batch of {BatchSize} failed with {ExceptionType}")]
    public static partial void BatchFailed(ILogger logger, int batchSize, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Guard batch: {BatchSize} requests, {PrefillTokens} prefill tokens, {Steps} decode steps")]
    public static partial void BatchCompleted(ILogger logger, int batchSize, int prefillTokens, int steps);
}
