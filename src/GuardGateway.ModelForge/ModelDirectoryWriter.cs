using System.Text.Json;
using System.Text.Json.Nodes;

namespace GuardGateway.ModelForge;

/// <summary>Writes the files around the graph that make a complete model directory (spec §6).</summary>
internal static class ModelDirectoryWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>HF-style <c>config.json</c> with the fields the engine reads.</summary>
    public static void WriteConfig(string directory, int layers, int hidden, int heads, int kvHeads, int headDim, int intermediate, double ropeTheta, float rmsNormEpsilon, ForgeDType dtype)
    {
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["num_hidden_layers"] = layers,
            ["hidden_size"] = hidden,
            ["num_attention_heads"] = heads,
            ["num_key_value_heads"] = kvHeads,
            ["head_dim"] = headDim,
            ["intermediate_size"] = intermediate,
            ["vocab_size"] = Forge.VocabularySize,
            ["rope_theta"] = ropeTheta,
            ["rms_norm_eps"] = rmsNormEpsilon,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = 131072,
            ["bos_token_id"] = 128000,
            ["eos_token_id"] = new JsonArray(128001, 128008, 128009),
            ["tie_word_embeddings"] = false,
            ["torch_dtype"] = dtype == ForgeDType.Fp16 ? "float16" : "float32",
        };
        WriteJson(Path.Combine(directory, "config.json"), config);
    }

    /// <summary>
    /// Copies the tokenizer (named <c>tokenizer.json</c> or <c>tokenizer.model</c> by its extension) and a
    /// <c>tokenizer_config.json</c> found beside it; returns the copied tokenizer path, or null without a source.
    /// </summary>
    public static string? CopyTokenizer(string directory, string? tokenizerPath)
    {
        if (tokenizerPath is null)
        {
            return null;
        }

        var target = Path.Combine(directory, TokenizerFileName(tokenizerPath));
        File.Copy(tokenizerPath, target, overwrite: true);
        var configSource = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!, "tokenizer_config.json");
        if (File.Exists(configSource))
        {
            File.Copy(configSource, Path.Combine(directory, "tokenizer_config.json"), overwrite: true);
        }

        return target;
    }

    /// <summary>The name a tokenizer file gets in a model directory, or an exception for unknown kinds.</summary>
    public static string TokenizerFileName(string tokenizerPath)
    {
        var extension = Path.GetExtension(tokenizerPath);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return "tokenizer.json";
        }

        if (extension.Equals(".model", StringComparison.OrdinalIgnoreCase) || extension.Equals(".tiktoken", StringComparison.OrdinalIgnoreCase))
        {
            return "tokenizer.model";
        }

        throw new ArgumentException($"Tokenizer '{tokenizerPath}' must be a tokenizer.json (HF) or tokenizer.model (tiktoken) file.", nameof(tokenizerPath));
    }

    /// <summary>
    /// <c>guardgateway_model.json</c>: marks a project-made model so the gateway can label it a demo model,
    /// and says which tokenizer is meant when none was copied.
    /// </summary>
    public static void WriteMarker(string directory, string kind, string? copiedTokenizer, JsonObject? extra = null)
    {
        var marker = new JsonObject
        {
            ["kind"] = kind,
            ["demo"] = true,
            ["producer"] = "guardctl forge",
            ["forge_version"] = Forge.FormatVersion,
            ["tokenizer"] = copiedTokenizer is null ? "offline-demo" : Path.GetFileName(copiedTokenizer),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                marker[key] = value?.DeepClone();
            }
        }

        WriteJson(Path.Combine(directory, Forge.MarkerFileName), marker);
    }

    public static void WriteJson(string path, JsonNode node) => File.WriteAllText(path, node.ToJsonString(Indented) + "\n");
}
