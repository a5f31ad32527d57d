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

    /// <inheritdoc />
    protected override void ValidateKind(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (KvHeads > 0 && HeadDim > 0 && (long)KvHeads * HeadDim < FeatureWidth)
        {
            errors.Add(FormattableString.Invariant($"kv-heads × head-dim ({KvHeads}×{HeadDim}) must be at least {FeatureWidth}: the KV cache carries the planted features."));
        }
    }
}
