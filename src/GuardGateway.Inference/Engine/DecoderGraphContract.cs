using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.Inference.Engine;

/// <summary>The inputs and outputs of a decoder graph as discovered from its metadata (ONNX_CONTRACT.md).</summary>
internal sealed record DecoderGraphContract
{
    public required string InputIds { get; init; }

    public required string AttentionMask { get; init; }

    /// <summary>Null when the graph derives positions itself (onnxruntime-genai builder graphs).</summary>
    public string? PositionIds { get; init; }

    /// <summary>Older optimum merged exports: a bool <c>[1]</c> choosing the with-past branch.</summary>
    public string? UseCacheBranch { get; init; }

    /// <summary>Newer exports: an int64 scalar asking for the last N positions' logits only.</summary>
    public string? LogitsToKeep { get; init; }

    /// <summary>Rank of the <see cref="LogitsToKeep"/> input (0 for a scalar, 1 for <c>[1]</c>).</summary>
    public int LogitsToKeepRank { get; init; }

    public required IReadOnlyList<KvTensorNames> Past { get; init; }

    public required IReadOnlyList<KvTensorNames> Present { get; init; }

    public required TensorElementType KvElementType { get; init; }

    public required int KvHeads { get; init; }

    public required int HeadDim { get; init; }

    public required string Logits { get; init; }

    public required TensorElementType LogitsElementType { get; init; }

    public required int VocabSize { get; init; }

    /// <summary>True when the logits output has one row per sequence (graph edited, or logits_to_keep fed).</summary>
    public required bool LastPositionLogitsOnly { get; init; }

    public int Layers => Past.Count;

    /// <summary>Bytes per KV element (4 for float32, 2 for float16).</summary>
    public int KvElementSize => KvElementType == TensorElementType.Float16 ? 2 : 4;
}
