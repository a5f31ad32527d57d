using System.Globalization;

namespace GuardGateway.ModelForge;

/// <summary>
/// Shape and seed of a forged tiny Llama decoder (<c>guardctl forge --kind tiny-llama</c>). Defaults are small
/// enough for unit tests (weights ≈ 66 MB, almost all of it the two 128256-row vocabulary tables).
/// </summary>
public sealed record TinyLlamaOptions : ForgedDecoderShape
{
    /// <summary>RoPE base θ (default 500000, as Llama 3).</summary>
    public double RopeTheta { get; init; } = 500000;

    /// <summary>RMSNorm epsilon (default 1e-5).</summary>
    public float RmsNormEpsilon { get; init; } = 1e-5f;

    /// <summary>Seed of the deterministic weights (default 42).</summary>
    public ulong Seed { get; init; } = 42;

    /// <inheritdoc />
    protected override void ValidateKind(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (HeadDim > 0 && HeadDim % 2 != 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"head-dim ({HeadDim}) must be even (RoPE rotates halves)."));
        }

        if (!(RopeTheta > 1) || double.IsInfinity(RopeTheta))
        {
            errors.Add("rope-theta must be a finite number above 1.");
        }

        if (!(RmsNormEpsilon > 0))
        {
            errors.Add("rms-norm epsilon must be positive.");
        }

        if ((long)Hidden * Forge.VocabularySize * (DType == ForgeDType.Fp16 ? 2 : 4) > int.MaxValue)
        {
            errors.Add("hidden is too large: one vocabulary table must stay under 2 GiB.");
        }
    }
}
