using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.ModelForge.Tests;

/// <summary>
/// A test-only driver of a decoder graph with the onnx-community contract: builds the inputs, runs, keeps the
/// <c>present</c> outputs alive as the next step's past, and copies out the last logits row per batch row.
/// </summary>
internal sealed class DecoderSession : IDisposable
{
    public const int Vocabulary = Forge.VocabularySize;

    private readonly InferenceSession _session;


    public DecoderSession(string modelPath)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(modelPath, options);
        Layers = _session.InputMetadata.Keys.Count(k => k.EndsWith(".key", StringComparison.Ordinal));
        var past = _session.InputMetadata["past_key_values.0.key"];
        KvHeads = past.Dimensions[1];
        HeadDim = past.Dimensions[3];
        KvType = past.ElementDataType;
        HasPositionIds = _session.InputMetadata.ContainsKey("position_ids");
    }

    public InferenceSession Session => _session;

    public int Layers { get; }

    public int KvHeads { get; }

    public int HeadDim { get; }

    public TensorElementType KvType { get; }

    public bool HasPositionIds { get; }

    /// <summary>
    /// One forward pass over equal-length rows. <paramref name="mask"/> covers past + new; positions default to
    /// cumsum(mask) − 1 (1 at padding, like HF). The returned state owns the presents.
    /// </summary>
    public StepResult Forward(long[][] ids, long[][] mask, DecoderState? past = null, long[][]? positions = null, bool allLogits = false)
    {
        var batch = ids.Length;
        var sequence = ids[0].Length;
        var names = new List<string>();
        var values = new List<OrtValue>();
        var owned = new List<OrtValue>();
        try
        {
            Add("input_ids", OrtValue.CreateTensorValueFromMemory(Flatten(ids), [batch, sequence]), isOwned: true);
            Add("attention_mask", OrtValue.CreateTensorValueFromMemory(Flatten(mask), [batch, mask[0].Length]), isOwned: true);
            if (HasPositionIds)
            {
                positions ??= DefaultPositions(mask, sequence);
                Add("position_ids", OrtValue.CreateTensorValueFromMemory(Flatten(positions), [batch, sequence]), isOwned: true);
            }

            for (var layer = 0; layer < Layers; layer++)
            {
                foreach (var part in new[] { "key", "value" })
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"past_key_values.{layer}.{part}");
                    if (past is null)
                    {
                        Add(name, EmptyPast(batch), isOwned: true);
                    }
                    else
                    {
                        Add(name, past.Get(layer, part), isOwned: false);
                    }
                }
            }

            var outputNames = _session.OutputMetadata.Keys.ToList();
            var outputs = _session.Run(new RunOptions(), names, values, outputNames);
            var logits = outputs[outputNames.IndexOf("logits")];
            var rows = ReadLogits(logits, batch, sequence, allLogits);
            return new StepResult(rows, new DecoderState(outputNames, outputs));
        }
        finally
        {
            foreach (var value in owned)
            {
                value.Dispose();
            }
        }

        void Add(string name, OrtValue value, bool isOwned)
        {
            names.Add(name);
            values.Add(value);
            if (isOwned)
            {
                owned.Add(value);
            }
        }
    }

    public static long[][] DefaultPositions(long[][] mask, int sequence)
    {
        var result = new long[mask.Length][];
        for (var b = 0; b < mask.Length; b++)
        {
            var total = mask[b].Length;
            var cumulative = 0L;
            var full = new long[total];
            for (var t = 0; t < total; t++)
            {
                cumulative += mask[b][t];
                full[t] = mask[b][t] == 0 ? 1 : cumulative - 1;
            }

            result[b] = full[(total - sequence)..];
        }

        return result;
    }

    public void Dispose() => _session.Dispose();

    private OrtValue EmptyPast(int batch)
    {
        long[] shape = [batch, KvHeads, 0, HeadDim];
        return KvType == TensorElementType.Float16
            ? OrtValue.CreateTensorValueFromMemory(Array.Empty<Float16>(), shape)
            : OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), shape);
    }

    /// <summary>Logits as float: [batch][vocab] of the last position, or [batch][seq·vocab] when all are asked.</summary>
    private static float[][] ReadLogits(OrtValue logits, int batch, int sequence, bool all)
    {
        var result = new float[batch][];
        var isHalf = logits.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float16;
        for (var b = 0; b < batch; b++)
        {
            var start = all ? (long)b * sequence * Vocabulary : (((long)b * sequence) + sequence - 1) * Vocabulary;
            var length = all ? sequence * Vocabulary : Vocabulary;
            result[b] = new float[length];
            if (isHalf)
            {
                var span = logits.GetTensorDataAsSpan<Float16>().Slice((int)start, length);
                for (var i = 0; i < length; i++)
                {
                    result[b][i] = (float)span[i];
                }
            }
            else
            {
                logits.GetTensorDataAsSpan<float>().Slice((int)start, length).CopyTo(result[b]);
            }
        }

        return result;
    }

    private static long[] Flatten(long[][] rows) => [.. rows.SelectMany(r => r)];
}
