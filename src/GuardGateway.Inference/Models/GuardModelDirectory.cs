using GuardGateway.Core.Classification;
using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Inference.Models;

/// <summary>A loaded, checked model directory: everything but the ONNX Runtime session.</summary>
public sealed class GuardModelDirectory
{
    internal GuardModelDirectory(
        string directoryPath,
        string graphPath,
        LlamaModelConfig config,
        Llama3Tokenizer tokenizer,
        GuardModelMarker? marker,
        GuardModelInfo info,
        bool sharedKvBuffer)
    {
        DirectoryPath = directoryPath;
        GraphPath = graphPath;
        Config = config;
        Tokenizer = tokenizer;
        Marker = marker;
        Info = info;
        SharedKvBuffer = sharedKvBuffer;
    }

    /// <summary>The directory, as a full path.</summary>
    public string DirectoryPath { get; }

    /// <summary>The chosen ONNX graph (external data is resolved beside it).</summary>
    public string GraphPath { get; }

    /// <summary>The parsed <c>config.json</c>.</summary>
    public LlamaModelConfig Config { get; }

    /// <summary>The tokenizer (the directory's own, or the offline demo one for marked demo models).</summary>
    public Llama3Tokenizer Tokenizer { get; }

    /// <summary>The project's marker file, when present.</summary>
    public GuardModelMarker? Marker { get; }

    /// <summary>Name, served formats, demo flag.</summary>
    public GuardModelInfo Info { get; }

    /// <summary>
    /// True when <c>genai_config.json</c> asks for one KV buffer shared by past and present
    /// (onnxruntime-genai layout B), which the engine does not run yet.
    /// </summary>
    public bool SharedKvBuffer { get; }
}
