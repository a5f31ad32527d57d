using System.Text.Json;
using GuardGateway.Core.Results;

namespace GuardGateway.Inference.Models;

/// <summary>Reads <c>config.json</c>; every problem is a <see cref="GuardErrorCode.ModelInvalid"/> value.</summary>
internal static class LlamaModelConfigReader
{
    public static Result<LlamaModelConfig> Read(string path)
    {
        if (!File.Exists(path))
        {
            return Invalid($"config.json is missing: {path}");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return Parse(doc.RootElement, path);
        }
        catch (JsonException ex)
        {
            return Invalid($"{path} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Invalid($"cannot read {path}: {ex.Message}");
        }
    }

    private static Result<LlamaModelConfig> Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"{path}: config.json must be a JSON object");
        }

        var errors = new List<string>();
        var layers = RequiredInt(root, "num_hidden_layers", errors);
        var hidden = RequiredInt(root, "hidden_size", errors);
        var heads = RequiredInt(root, "num_attention_heads", errors);
        var vocab = RequiredInt(root, "vocab_size", errors);
        if (errors.Count > 0)
        {
            return Invalid($"{path}: {string.Join("; ", errors)}");
        }

        var kvHeads = OptionalInt(root, "num_key_value_heads") ?? heads;
        var headDim = OptionalInt(root, "head_dim") ?? (heads > 0 ? hidden / heads : 0);
        if (kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0)
        {
            return Invalid($"{path}: inconsistent attention shape (heads {heads}, kv heads {kvHeads}, head_dim {headDim})");
        }

        var eos = new List<int>();
        if (root.TryGetProperty("eos_token_id", out var e))
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var single))
            {
                eos.Add(single);
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                eos.AddRange(e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt32()));
            }
        }

        var type = root.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "unknown";
        var name = root.TryGetProperty("_name_or_path", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new LlamaModelConfig(type, layers, hidden, heads, kvHeads, headDim, vocab, eos, string.IsNullOrWhiteSpace(name) ? null : name);
    }

    private static int RequiredInt(JsonElement root, string name, List<string> errors)
    {
        var value = OptionalInt(root, name);
        if (value is null or <= 0)
        {
            errors.Add($"'{name}' must be a positive integer");
            return 0;
        }

        return value.Value;
    }

    private static int? OptionalInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static GuardError Invalid(string message) => new(GuardErrorCode.ModelInvalid, message);
}
