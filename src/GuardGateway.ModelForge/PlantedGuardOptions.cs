namespace GuardGateway.ModelForge;

/// <summary>
/// Shape of a forged planted guard (<c>guardctl forge --kind planted-guard</c>). Only <see cref="Layers"/>,
/// <see cref="KvHeads"/> and <see cref="HeadDim"/> shape tensors (the KV cache); the other sizes are written to
/// <c>config.json</c> for a consistent model directory. KV heads × head dim must hold the 32 per-token features.
/// </summary>
public sealed record PlantedGuardOptions
{
    /// <summary>Features stored per token in the KV cache (hazards, role marker, numbers, flags).</summary>
    public const int FeatureWidth = 32;

    /// <summary>Layers, i.e. past/present pairs (default 2).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Hidden size written to config.json (default 64).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Attention heads written to config.json (default 4); a multiple of <see cref="KvHeads"/>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>KV heads (default 2).</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Head dimension (default 16).</summary>
    public int HeadDim { get; init; } = 16;

    /// <summary>Intermediate size written to config.json (default 128).</summary>
    public int Intermediate { get; init; } = 128;

    /// <summary>KV and logits type (default float32).</summary>
    public ForgeDType DType { get; init; } = ForgeDType.Fp32;

    /// <summary>Whether the graph declares <c>position_ids</c> (default true; the planted guard never needs it).</summary>
    public bool IncludePositionIds { get; init; } = true;

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        TinyLlamaOptions.Positive(errors, "layers", Layers);
        TinyLlamaOptions.Positive(errors, "hidden", Hidden);
        TinyLlamaOptions.Positive(errors, "heads", Heads);
        TinyLlamaOptions.Positive(errors, "kv-heads", KvHeads);
        TinyLlamaOptions.Positive(errors, "head-dim", HeadDim);
        TinyLlamaOptions.Positive(errors, "intermediate", Intermediate);
        if (KvHeads > 0 && Heads > 0 && Heads % KvHeads != 0)
        {
            errors.Add(FormattableString.Invariant($"heads ({Heads}) must be a multiple of kv-heads ({KvHeads})."));
        }

        if (KvHeads > 0 && HeadDim > 0 && (long)KvHeads * HeadDim < FeatureWidth)
        {
            errors.Add(FormattableString.Invariant($"kv-heads × head-dim ({KvHeads}×{HeadDim}) must be at least {FeatureWidth}: the KV cache carries the planted features."));
        }

        return errors;
    }
}
