namespace GuardGateway.ModelForge;

/// <summary>
/// Shape of a forged planted guard (<c>guardctl forge --kind planted-guard</c>). Only <see cref="ForgedDecoderShape.Layers"/>,
/// <see cref="ForgedDecoderShape.KvHeads"/> and <see cref="ForgedDecoderShape.HeadDim"/> shape tensors (the KV cache); the other sizes are written to
/// <c>config.json</c> for a consistent model directory. KV heads × head dim must hold the 32 per-token features.
/// </summary>
public sealed record PlantedGuardOptions : ForgedDecoderShape
{
    /// <summary>Features stored per token in the KV cache (hazards, role marker, numbers, flags).</summary>
    public const int FeatureWidth = 32;

    /// <summary>Largest <see cref="SlowdownSize"/> (a 4096 × 4096 chain step is already ~140 GFLOP per run).</summary>
    public const int MaxSlowdownSize = 4096;

    /// <summary>
    /// Chained <c>MatMul</c>s of <see cref="SlowdownSize"/> × <see cref="SlowdownSize"/> float matrices added to every forward
    /// pass (default 0: none). They read the input (so ONNX Runtime cannot fold them into a constant) and add exactly 0
    /// to the answer: the output is unchanged, only slower. Tests of cancellation mid-run (RELIABILITY.md T10) use it to
    /// have runs in flight inside ONNX Runtime, which checks <c>RunOptions.Terminate</c> between nodes.
    /// </summary>
    public int SlowdownMatMuls { get; init; }

    /// <summary>Side of the <see cref="SlowdownMatMuls"/> matrices (default 256; 2·n³ floating-point operations each).</summary>
    public int SlowdownSize { get; init; } = 256;

    /// <inheritdoc />
    protected override void ValidateKind(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (KvHeads > 0 && HeadDim > 0 && (long)KvHeads * HeadDim < FeatureWidth)
        {
            errors.Add(FormattableString.Invariant($"kv-heads × head-dim ({KvHeads}×{HeadDim}) must be at least {FeatureWidth}: the KV cache carries the planted features."));
        }

        if (SlowdownMatMuls < 0)
        {
            errors.Add(FormattableString.Invariant($"slowdown-matmuls must not be negative (got {SlowdownMatMuls})."));
        }

        if (SlowdownSize is <= 0 or > MaxSlowdownSize)
        {
            errors.Add(FormattableString.Invariant($"slowdown-size must be between 1 and {MaxSlowdownSize} (got {SlowdownSize})."));
        }
    }
}
