using System.Text.Json.Nodes;
using GuardGateway.ModelForge.Onnx;

namespace GuardGateway.ModelForge;

/// <summary>
/// Forges project-made ONNX test models with the Llama Guard 3 export contract (spec/ONNX_CONTRACT.md): each
/// call writes a complete model directory (<c>model.onnx</c> [+ <c>model.onnx_data</c>], <c>config.json</c>,
/// the tokenizer, <c>guardgateway_model.json</c>). The same options always give byte-identical files.
/// </summary>
public static partial class Forge
{
    /// <summary>Vocabulary size of every forged model (Llama 3: 128,000 + 256 special ids).</summary>
    public const int VocabularySize = 128256;

    /// <summary>Version of the forged graphs; part of cache keys, bumped whenever a graph changes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Kind name of the tiny Llama decoder.</summary>
    public const string TinyLlamaKind = "tiny-llama";

    /// <summary>Kind name of the planted guard.</summary>
    public const string PlantedGuardKind = "planted-guard";

    /// <summary>The graph file name.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The external data file name (as the onnx-community exports name it).</summary>
    public const string ExternalDataFileName = "model.onnx_data";

    /// <summary>The marker file that labels a directory as a project-made demo model.</summary>
    public const string MarkerFileName = "guardgateway_model.json";

    /// <summary>The planted guard's trigger words by code.</summary>
    public const string TriggersFileName = "triggers.json";

    /// <summary>Tensors larger than this many bytes go to <see cref="ExternalDataFileName"/> (1 MiB).</summary>
    public const long ExternalDataThresholdBytes = 1 << 20;

    /// <summary>
    /// Writes a tiny Llama decoder with seeded random weights into <paramref name="outDir"/> (created if needed).
    /// </summary>
    /// <param name="options">Sizes, seed, dtype; validated (invalid options throw <see cref="ArgumentException"/> listing every problem).</param>
    /// <param name="outDir">The model directory to write.</param>
    /// <param name="tokenizerPath">A Llama 3 <c>tokenizer.json</c> or <c>tokenizer.model</c> to copy in; null = none (the offline demo tokenizer is meant).</param>
    public static ForgedModel TinyLlama(TinyLlamaOptions options, string outDir, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options.Validate(), nameof(options));
        var directory = PrepareDirectory(outDir, tokenizerPath);

        var (model, builder) = TinyLlamaGraph.Build(options);
        var (modelPath, externalPath) = WriteGraph(directory, model, builder);
        ModelDirectoryWriter.WriteConfig(directory, options.Layers, options.Hidden, options.Heads, options.KvHeads, options.HeadDim, options.Intermediate, options.RopeTheta, options.RmsNormEpsilon, options.DType);
        var tokenizer = ModelDirectoryWriter.CopyTokenizer(directory, tokenizerPath);
        ModelDirectoryWriter.WriteMarker(directory, TinyLlamaKind, tokenizer);
        return new ForgedModel(TinyLlamaKind, directory, modelPath, externalPath, tokenizer);
    }

    /// <summary>
    /// Writes a planted guard (see <see cref="PlantedGuardTriggers"/> and <c>README.md</c> of this project) into
    /// <paramref name="outDir"/>, with <c>triggers.json</c> and a demo marker.
    /// </summary>
    /// <param name="options">KV shape and dtype; validated (invalid options throw <see cref="ArgumentException"/>).</param>
    /// <param name="outDir">The model directory to write.</param>
    /// <param name="tokenizerPath">A Llama 3 <c>tokenizer.json</c> or <c>tokenizer.model</c> to copy in; null = none (the offline demo tokenizer is meant).</param>
    public static ForgedModel PlantedGuard(PlantedGuardOptions options, string outDir, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options.Validate(), nameof(options));
        var directory = PrepareDirectory(outDir, tokenizerPath);

        var (model, builder) = PlantedGuardGraph.Build(options);
        var (modelPath, externalPath) = WriteGraph(directory, model, builder);
        ModelDirectoryWriter.WriteConfig(directory, options.Layers, options.Hidden, options.Heads, options.KvHeads, options.HeadDim, options.Intermediate, 500000, 1e-5f, options.DType);
        var triggers = new JsonObject();
        foreach (var (code, words) in PlantedGuardTriggers.Words)
        {
            triggers[code] = new JsonArray([.. words.Select(w => JsonValue.Create(w))]);
        }

        ModelDirectoryWriter.WriteJson(Path.Combine(directory, TriggersFileName), triggers);
        var tokenizer = ModelDirectoryWriter.CopyTokenizer(directory, tokenizerPath);
        ModelDirectoryWriter.WriteMarker(directory, PlantedGuardKind, tokenizer, new JsonObject
        {
            ["triggers"] = TriggersFileName,
            ["note"] = "Deterministic stand-in for Llama Guard 3: unsafe exactly when the last message contains a trigger word of a listed category. Not a safety model.",
        });
        return new ForgedModel(PlantedGuardKind, directory, modelPath, externalPath, tokenizer);
    }

    private static string PrepareDirectory(string outDir, string? tokenizerPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        if (tokenizerPath is not null)
        {
            _ = ModelDirectoryWriter.TokenizerFileName(tokenizerPath);
            if (!File.Exists(tokenizerPath))
            {
                throw new FileNotFoundException("Tokenizer file not found: " + tokenizerPath, tokenizerPath);
            }
        }

        var directory = Path.GetFullPath(outDir);
        Directory.CreateDirectory(directory);

        // A stale external data file from an earlier, larger forge must not survive beside a new graph.
        File.Delete(Path.Combine(directory, ExternalDataFileName));
        return directory;
    }

    private static (string ModelPath, string? ExternalPath) WriteGraph(string directory, ModelProto model, OnnxGraphBuilder builder)
    {
        var modelPath = Path.Combine(directory, ModelFileName);
        var external = OnnxModelWriter.Write(model, builder.Initializers, modelPath, ExternalDataFileName, ExternalDataThresholdBytes);
        return (modelPath, external ? Path.Combine(directory, ExternalDataFileName) : null);
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> errors, string parameterName)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid forge options: " + string.Join(" ", errors), parameterName);
        }
    }
}
