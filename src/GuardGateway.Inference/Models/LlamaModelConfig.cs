namespace GuardGateway.Inference.Models;

/// <summary>What the engine needs from a Hugging Face <c>config.json</c> of a Llama model.</summary>
/// <param name="ModelType">The <c>model_type</c> (e.g. <c>llama</c>); informational.</param>
/// <param name="NumHiddenLayers">Decoder layers (1B: 16, 8B: 32).</param>
/// <param name="HiddenSize">Hidden width (1B: 2048, 8B: 4096).</param>
/// <param name="NumAttentionHeads">Query heads.</param>
/// <param name="NumKeyValueHeads">Key/value heads (grouped-query attention); defaults to the query heads.</param>
/// <param name="HeadDim">Per-head width; defaults to hidden / heads.</param>
/// <param name="VocabSize">Vocabulary size (128256 for Llama 3).</param>
/// <param name="EosTokenIds">End-of-sequence ids the config names (may be empty).</param>
/// <param name="NameOrPath">The <c>_name_or_path</c> field when present.</param>
public sealed record LlamaModelConfig(
    string ModelType,
    int NumHiddenLayers,
    int HiddenSize,
    int NumAttentionHeads,
    int NumKeyValueHeads,
    int HeadDim,
    int VocabSize,
    IReadOnlyList<int> EosTokenIds,
    string? NameOrPath);
