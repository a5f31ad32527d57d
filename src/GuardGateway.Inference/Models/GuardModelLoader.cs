using System.Text.Json;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Prompts;
using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Inference.Models;

/// <summary>
/// Loads a model directory (spec §6): <c>config.json</c>, <c>tokenizer.json</c> or <c>tokenizer.model</c>
/// (or, for a directory marked <c>{"demo": true}</c> in <c>guardgateway_model.json</c> without a
/// tokenizer, the offline demo tokenizer), and the graph (<see cref="GraphFileResolver"/>). Problems are
/// <see cref="GuardErrorCode.ModelInvalid"/> values naming the file. With <see cref="ModelPins"/>, every
/// pinned file's SHA-256 is checked first, before any file of the directory is parsed.
/// </summary>
public static class GuardModelLoader
{
    /// <summary>The tokenizer files, in the order they are tried.</summary>
    internal static IReadOnlyList<string> TokenizerFiles { get; } = ["tokenizer.json", "tokenizer.model"];

    /// <summary>Loads and checks a model directory (no digest pins).</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="graphFile">An explicit graph file, or null for the preference order.</param>
    public static Result<GuardModelDirectory> Load(string directory, string? graphFile = null) =>
        Load(directory, graphFile, ModelPins.None, CancellationToken.None);

    /// <summary>
    /// Loads and checks a model directory after verifying <paramref name="pins"/> (RELIABILITY.md T25): a
    /// missing or modified pinned file, or with <see cref="ModelPins.Required"/> an unpinned graph, external
    /// data file or tokenizer, is <see cref="GuardErrorCode.ModelInvalid"/> naming the file.
    /// </summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="graphFile">An explicit graph file, or null for the preference order.</param>
    /// <param name="pins">Expected digests (<see cref="ModelPins.None"/> for none).</param>
    /// <param name="cancellationToken">Stops hashing (a <see cref="GuardErrorCode.Cancelled"/> result).</param>
    public static Result<GuardModelDirectory> Load(string directory, string? graphFile, ModelPins pins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pins);
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return Invalid($"The model directory does not exist: {directory}");
        }

        directory = Path.GetFullPath(directory);
        if (pins.IsActive)
        {
            // Digests before parsing: a tampered config, tokenizer or graph is never read for meaning.
            var pinnedGraph = GraphFileResolver.Resolve(directory, graphFile);
            if (!pinnedGraph.IsSuccess)
            {
                return pinnedGraph.Error;
            }

            if (ModelPinning.Verify(directory, pinnedGraph.Value, pins, cancellationToken) is { } refused)
            {
                return refused;
            }
        }

        var config = LlamaModelConfigReader.Read(Path.Combine(directory, "config.json"));
        if (!config.IsSuccess)
        {
            return config.Error;
        }

        var marker = GuardModelMarkerReader.Read(directory);
        if (!marker.IsSuccess)
        {
            return marker.Error;
        }

        var graph = GraphFileResolver.Resolve(directory, graphFile);
        if (!graph.IsSuccess)
        {
            return graph.Error;
        }

        var tokenizer = LoadTokenizer(directory, marker.Value);
        if (!tokenizer.IsSuccess)
        {
            return tokenizer.Error;
        }

        if (config.Value.VocabSize != tokenizer.Value.VocabularySize)
        {
            return Invalid(
                $"Vocabulary mismatch: config.json vocab_size is {config.Value.VocabSize} but the tokenizer ({tokenizer.Value.Source}) has {tokenizer.Value.VocabularySize} ids; Llama Guard 3 needs 128256.");
        }

        var sharedBuffer = ReadSharedBufferFlag(directory);
        if (!sharedBuffer.IsSuccess)
        {
            return sharedBuffer.Error;
        }

        var info = new GuardModelInfo(
            ChooseName(directory, config.Value, marker.Value),
            ChooseFormats(config.Value, marker.Value),
            marker.Value?.IsDemo ?? false);
        return new GuardModelDirectory(directory, graph.Value, config.Value, tokenizer.Value, marker.Value, info, sharedBuffer.Value);
    }

    /// <summary>
    /// The prompt formats a model serves: by shape (16 layers × 2048 → <c>llama-guard-3-1b</c>, 32 × 4096 →
    /// <c>llama-guard-3-8b</c>), else the marker's list, else both (tiny test models).
    /// </summary>
    internal static IReadOnlyList<string> ChooseFormats(LlamaModelConfig config, GuardModelMarker? marker)
    {
        if (config is { NumHiddenLayers: 16, HiddenSize: 2048 })
        {
            return [GuardPromptFormat.Llama1B.Id];
        }

        if (config is { NumHiddenLayers: 32, HiddenSize: 4096 })
        {
            return [GuardPromptFormat.Llama8B.Id];
        }

        if (marker?.Formats is { Count: > 0 } listed)
        {
            return [.. listed.Where(id => GuardPromptFormat.Find(id) is not null)];
        }

        return [.. GuardPromptFormat.All.Select(f => f.Id)];
    }

    private static string ChooseName(string directory, LlamaModelConfig config, GuardModelMarker? marker)
    {
        if (!string.IsNullOrWhiteSpace(marker?.Name))
        {
            return marker.Name;
        }

        var name = config.NameOrPath is { } n
            ? n.TrimEnd('/').Split('/')[^1]
            : marker?.Kind ?? Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar));
        return marker?.IsDemo == true ? name + " (demo)" : name;
    }

    private static Result<Llama3Tokenizer> LoadTokenizer(string directory, GuardModelMarker? marker)
    {
        foreach (var file in TokenizerFiles)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                return Llama3Tokenizer.FromFile(path);
            }
            catch (TokenizerLoadException ex)
            {
                return Invalid($"{path}: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Invalid($"cannot read {path}: {ex.Message}");
            }
        }

        if (marker?.IsDemo == true)
        {
            return Llama3Tokenizer.CreateOfflineDemo();
        }

        return Invalid($"No tokenizer in {directory}: expected tokenizer.json or tokenizer.model.");
    }

    private static Result<bool> ReadSharedBufferFlag(string directory)
    {
        var path = Path.Combine(directory, "genai_config.json");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return doc.RootElement.TryGetProperty("search", out var search)
                && search.ValueKind == JsonValueKind.Object
                && search.TryGetProperty("past_present_share_buffer", out var share)
                && share.ValueKind == JsonValueKind.True;
        }
        catch (JsonException ex)
        {
            return Invalid($"{path} is not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Invalid($"cannot read {path}: {ex.Message}");
        }
    }

    private static GuardError Invalid(string message) => new(GuardErrorCode.ModelInvalid, message);
}
