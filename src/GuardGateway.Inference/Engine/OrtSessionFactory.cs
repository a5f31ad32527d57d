using GuardGateway.Core.Results;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace GuardGateway.Inference.Engine;

/// <summary>Creates the one <see cref="InferenceSession"/> of a model, with the configured execution provider.</summary>
internal static class OrtSessionFactory
{
    public static Result<DecoderSession> Create(GuardModelDirectory model, GuardInferenceOptions options, ILogger logger)
    {
        if (model.SharedKvBuffer)
        {
            return new GuardError(
                GuardErrorCode.ModelInvalid,
                "genai_config.json asks for a shared past/present KV buffer (onnxruntime-genai layout); the engine supports the growing-past layout only so far. Rebuild the model without past_present_share_buffer (e.g. the CPU builder) or use an optimum/onnx-community export.");
        }

        SessionOptions? sessionOptions = null;
        try
        {
            (sessionOptions, var cudaError) = CreateOptions(options, logger);
            if (sessionOptions is null)
            {
                return new GuardError(
                    GuardErrorCode.ClassifierFailure,
                    $"The CUDA execution provider could not be initialised (it needs a CUDA 13 runtime and cuDNN 9): {cudaError} Set FallbackToCpu to run on the CPU instead.");
            }

            var graph = GraphSource.Prepare(model.GraphPath, options.LastPositionLogitsOnly, logger);
            InferenceSession session;
            if (graph.EditedModel is { } bytes)
            {
                // Loaded from memory: point ONNX Runtime at the original folder for external data.
                sessionOptions.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", Path.GetDirectoryName(model.GraphPath)!);
                session = new InferenceSession(bytes, sessionOptions);
            }
            else
            {
                session = new InferenceSession(model.GraphPath, sessionOptions);
            }

            var decoder = DecoderSession.Open(session, model.Config, model.Tokenizer.VocabularySize, graph.EditedModel is not null);
            if (decoder.IsSuccess)
            {
                var contract = decoder.Value.Contract;
                EngineLog.ModelLoaded(logger, model.Info.Name, model.GraphPath, contract.Layers, contract.KvElementType, contract.PositionIds is not null, contract.LastPositionLogitsOnly);
            }

            return decoder;
        }
        catch (OnnxRuntimeException ex)
        {
            // ONNX Runtime refuses external data reached through a symlink that leaves the model directory,
            // which is how Hugging Face cache snapshots are laid out.
            var hint = ex.Message.Contains("escapes model directory", StringComparison.Ordinal)
                ? " The external data file links outside the model directory (as in a Hugging Face cache snapshot): copy the files into one directory (e.g. download with --local-dir)."
                : string.Empty;
            return new GuardError(GuardErrorCode.ModelInvalid, $"ONNX Runtime cannot load {model.GraphPath}: {ex.Message}{hint}");
        }
        finally
        {
            sessionOptions?.Dispose();
        }
    }

    private static (SessionOptions? Options, string? Error) CreateOptions(GuardInferenceOptions options, ILogger logger)
    {
        var sessionOptions = CreateCpuOptions(options);
        if (options.ExecutionProvider != GuardExecutionProvider.Cuda)
        {
            return (sessionOptions, null);
        }

        try
        {
            sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            return (sessionOptions, null);
        }
        catch (OnnxRuntimeException ex)
        {
            sessionOptions.Dispose();
            if (!options.FallbackToCpu)
            {
                EngineLog.CudaUnavailable(logger, ex.Message);
                return (null, ex.Message);
            }

            EngineLog.CudaFallback(logger, ex.Message);
            return (CreateCpuOptions(options), null);
        }
    }

    private static SessionOptions CreateCpuOptions(GuardInferenceOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            // Shapes change every step (batch, past length): planned memory patterns do not apply.
            EnableMemoryPattern = false,
        };
        if (options.IntraOpThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        }

        return sessionOptions;
    }
}
