using System.Globalization;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// Discovers a decoder graph's contract from <see cref="InferenceSession"/> metadata (names, dtypes, shapes;
/// never hard-coded) and checks it against <c>config.json</c> and the tokenizer.
/// </summary>
internal static class DecoderGraphContractReader
{
    private static readonly string[] PastPrefixes = ["past_key_values.", "past_key_values_"];
    private static readonly string[] PresentPrefixes = ["present.", "present_key_values.", "present_"];

    public static Result<DecoderGraphContract> Read(
        IReadOnlyDictionary<string, NodeMetadata> inputs,
        IReadOnlyDictionary<string, NodeMetadata> outputs,
        LlamaModelConfig config,
        int tokenizerVocabulary,
        bool graphEditedForLastPosition)
    {
        var errors = new List<string>();
        Require(inputs, "input_ids", TensorElementType.Int64, errors);
        Require(inputs, "attention_mask", TensorElementType.Int64, errors);
        var position = Optional(inputs, "position_ids", TensorElementType.Int64, errors);
        var useCache = Optional(inputs, "use_cache_branch", TensorElementType.Bool, errors);
        var keep = Optional(inputs, "num_logits_to_keep", TensorElementType.Int64, errors)
            ?? Optional(inputs, "logits_to_keep", TensorElementType.Int64, errors);

        var past = FindLayers(inputs, PastPrefixes);
        var present = FindLayers(outputs, PresentPrefixes);
        if (past.Count == 0)
        {
            errors.Add("no past_key_values.{i}.key/.value inputs: only graphs exported with a KV cache (text-generation-with-past) are supported");
        }

        if (present.Count != past.Count)
        {
            errors.Add($"{past.Count} past layers but {present.Count} present layers");
        }

        if (past.Count > 0 && past.Count != config.NumHiddenLayers)
        {
            errors.Add($"the graph has {past.Count} KV layers but config.json says num_hidden_layers = {config.NumHiddenLayers}");
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { "input_ids", "attention_mask", "position_ids", "use_cache_branch", "num_logits_to_keep", "logits_to_keep" };
        known.UnionWith(past.SelectMany(p => new[] { p.Key, p.Value }));
        foreach (var name in inputs.Keys.Where(n => !known.Contains(n)))
        {
            errors.Add($"unsupported graph input '{name}'");
        }

        if (!outputs.TryGetValue("logits", out var logits))
        {
            errors.Add("no 'logits' output");
        }

        var kvType = TensorElementType.Float;
        int kvHeads = config.NumKeyValueHeads, headDim = config.HeadDim;
        foreach (var name in past.SelectMany(p => new[] { p.Key, p.Value }).Concat(present.SelectMany(p => new[] { p.Key, p.Value })))
        {
            var meta = inputs.TryGetValue(name, out var m) ? m : outputs[name];
            if (meta.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16))
            {
                errors.Add($"'{name}' has element type {meta.ElementDataType}; float32 or float16 expected");
                continue;
            }

            kvType = meta.ElementDataType;
            if (meta.Dimensions.Length != 4)
            {
                errors.Add($"'{name}' has rank {meta.Dimensions.Length}; [batch, kv_heads, sequence, head_dim] expected");
                continue;
            }

            CheckDim(name, meta.Dimensions[1], kvHeads, "kv heads (num_key_value_heads)", errors);
            CheckDim(name, meta.Dimensions[3], headDim, "head_dim", errors);
        }

        var kvTypes = past.SelectMany(p => new[] { inputs[p.Key], inputs[p.Value] }).Select(m => m.ElementDataType).Distinct().Count();
        if (kvTypes > 1)
        {
            errors.Add("past tensors mix element types");
        }

        var vocab = config.VocabSize;
        var lastOnly = graphEditedForLastPosition || keep is not null;
        if (logits is not null)
        {
            if (logits.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16))
            {
                errors.Add($"'logits' has element type {logits.ElementDataType}; float32 or float16 expected");
            }

            if (logits.Dimensions.Length != 3)
            {
                errors.Add($"'logits' has rank {logits.Dimensions.Length}; [batch, sequence, vocab] expected");
            }
            else
            {
                if (logits.Dimensions[2] > 0)
                {
                    vocab = logits.Dimensions[2];
                }

                lastOnly |= logits.Dimensions[1] == 1;
            }
        }

        if (vocab != tokenizerVocabulary)
        {
            errors.Add($"vocabulary mismatch: logits have {vocab} entries but the tokenizer has {tokenizerVocabulary} ids (Llama Guard 3 needs 128256)");
        }

        if (errors.Count > 0)
        {
            return new GuardError(GuardErrorCode.ModelInvalid, "Unsupported graph: " + string.Join("; ", errors) + ".");
        }

        return new DecoderGraphContract
        {
            InputIds = "input_ids",
            AttentionMask = "attention_mask",
            PositionIds = position,
            UseCacheBranch = useCache,
            LogitsToKeep = keep,
            LogitsToKeepRank = keep is null ? 0 : inputs[keep].Dimensions.Length,
            Past = past,
            Present = present,
            KvElementType = kvType,
            KvHeads = kvHeads,
            HeadDim = headDim,
            Logits = "logits",
            LogitsElementType = logits!.ElementDataType,
            VocabSize = vocab,
            LastPositionLogitsOnly = lastOnly,
        };
    }

    private static void CheckDim(string name, int actual, int expected, string what, List<string> errors)
    {
        if (actual > 0 && actual != expected)
        {
            errors.Add($"'{name}' has {actual} {what} but config.json implies {expected}");
        }
    }

    private static List<KvTensorNames> FindLayers(IReadOnlyDictionary<string, NodeMetadata> map, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            var layers = new List<KvTensorNames>();
            for (var i = 0; ; i++)
            {
                var index = i.ToString(CultureInfo.InvariantCulture);
                var key = prefix + index + ".key";
                var value = prefix + index + ".value";
                if (!map.ContainsKey(key) || !map.ContainsKey(value))
                {
                    break;
                }

                layers.Add(new KvTensorNames(key, value));
            }

            if (layers.Count > 0)
            {
                return layers;
            }
        }

        return [];
    }

    private static void Require(IReadOnlyDictionary<string, NodeMetadata> map, string name, TensorElementType type, List<string> errors)
    {
        if (!map.TryGetValue(name, out var meta))
        {
            errors.Add($"no '{name}' input");
        }
        else if (meta.ElementDataType != type)
        {
            errors.Add($"'{name}' has element type {meta.ElementDataType}; {type} expected");
        }
    }

    private static string? Optional(IReadOnlyDictionary<string, NodeMetadata> map, string name, TensorElementType type, List<string> errors)
    {
        if (!map.TryGetValue(name, out var meta))
        {
            return null;
        }

        if (meta.ElementDataType != type)
        {
            errors.Add($"'{name}' has element type {meta.ElementDataType}; {type} expected");
        }

        return name;
    }
}
