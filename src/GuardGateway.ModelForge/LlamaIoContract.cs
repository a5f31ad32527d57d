using GuardGateway.ModelForge.Onnx;
using DataType = GuardGateway.ModelForge.Onnx.TensorProto.Types.DataType;

namespace GuardGateway.ModelForge;

/// <summary>
/// The onnx-community / optimum <c>text-generation-with-past</c> I/O contract (spec/ONNX_CONTRACT.md): names,
/// dtypes and symbolic dimensions exactly as the real Llama Guard 3 exports declare them.
/// </summary>
internal static class LlamaIoContract
{
    public const string BatchDim = "batch_size";
    public const string SequenceDim = "sequence_length";
    public const string PastSequenceDim = "past_sequence_length";
    public const string TotalSequenceDim = "total_sequence_length";

    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string PositionIds = "position_ids";
    public const string Logits = "logits";

    public static string PastKey(int layer) => FormattableString.Invariant($"past_key_values.{layer}.key");

    public static string PastValue(int layer) => FormattableString.Invariant($"past_key_values.{layer}.value");

    public static string PresentKey(int layer) => FormattableString.Invariant($"present.{layer}.key");

    public static string PresentValue(int layer) => FormattableString.Invariant($"present.{layer}.value");

    public static DataType FloatType(ForgeDType dtype) => dtype == ForgeDType.Fp16 ? DataType.Float16 : DataType.Float;

    /// <summary>Declares every input and output (<c>position_ids</c> only when <paramref name="includePositionIds"/>).</summary>
    public static void Declare(OnnxGraphBuilder builder, int layers, int kvHeads, int headDim, ForgeDType dtype, bool includePositionIds)
    {
        var floatType = FloatType(dtype);
        builder.Input(InputIds, DataType.Int64, BatchDim, SequenceDim);
        builder.Input(AttentionMask, DataType.Int64, BatchDim, TotalSequenceDim);
        if (includePositionIds)
        {
            builder.Input(PositionIds, DataType.Int64, BatchDim, SequenceDim);
        }

        for (var layer = 0; layer < layers; layer++)
        {
            builder.Input(PastKey(layer), floatType, BatchDim, kvHeads, PastSequenceDim, headDim);
            builder.Input(PastValue(layer), floatType, BatchDim, kvHeads, PastSequenceDim, headDim);
        }

        builder.Output(Logits, floatType, BatchDim, SequenceDim, Forge.VocabularySize);
        for (var layer = 0; layer < layers; layer++)
        {
            builder.Output(PresentKey(layer), floatType, BatchDim, kvHeads, TotalSequenceDim, headDim);
            builder.Output(PresentValue(layer), floatType, BatchDim, kvHeads, TotalSequenceDim, headDim);
        }
    }

    /// <summary>
    /// Positions of the new tokens: the <c>position_ids</c> input, or (graphs without it) cumsum(mask) − 1 over
    /// the whole sequence, last <c>sequence_length</c> columns, as HF computes them for left padding.
    /// </summary>
    public static string Positions(OnnxGraphBuilder b, bool includePositionIds)
    {
        if (includePositionIds)
        {
            return PositionIds;
        }

        var cumulative = b.CumSum(AttentionMask, 1);
        var zeroBased = b.Sub(cumulative, b.Int64Scalar(1));
        var sequence = b.ShapeOf(InputIds, 1, 2);
        return b.Slice(zeroBased, 1, b.Neg(sequence), b.Int64s(long.MaxValue));
    }
}
