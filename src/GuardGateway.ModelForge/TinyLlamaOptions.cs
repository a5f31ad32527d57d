using System.Globalization;

namespace GuardGateway.ModelForge;

/// <summary>
/// Shape and seed of a forged tiny Llama decoder (<c>guardctl forge --kind tiny-llama</c>). Defaults are small
/// enough for unit tests (weights ≈ 66 MB, almost all of it the two 128256-row vocabulary tables).
/// </summary>
public sealed record TinyLlamaOptions
{
    /// <summary>Decoder layers (default 2).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Hidden size (default 64).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Query heads (default 4).</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads (default 2); must divide <see cref="Heads"/>; fewer than heads = grouped-query attention.</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Head dimension (default 16); even (RoPE rotates halves).</summary>
    public int HeadDim { get; init; } = 16;

    /// <summary>SwiGLU intermediate size (default 128).</summary>
    public int Intermediate { get; init; } = 128;

    /// <summary>RoPE base θ (default 500000, as Llama 3).</summary>
    public double RopeTheta { get; init; } = 500000;

    /// <summary>RMSNorm epsilon (default 1e-5).</summary>
    public float RmsNormEpsilon { get; init; } = 1e-5f;

    /// <summary>Seed of the deterministic weights (default 42).</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Weight, KV and logits type (default float32).</summary>
    public ForgeDType DType { get; init; } = ForgeDType.Fp32;

    /// <summary>
    /// Whether the graph declares the <c>position_ids</c> input (default true). Without it positions are
    /// computed inside the graph from <c>attention_mask</c> (cumsum − 1), like graphs that fuse RoPE.
    /// </summary>
    public bool IncludePositionIds { get; init; } = true;

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Positive(errors, "layers", Layers);
        Positive(errors, "hidden", Hidden);
        Positive(errors, "heads", Heads);
        Positive(errors, "kv-heads", KvHeads);
        Positive(errors, "head-dim", HeadDim);
        Positive(errors, "intermediate", Intermediate);
        if (KvHeads > 0 && Heads > 0 && Heads % KvHeads != 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"heads ({Heads}) must be a multiple of kv-heads ({KvHeads})."));
        }

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

        return errors;
    }

    internal static void Positive(List<string> errors, string name, int value)
    {
        if (value <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive (got {value})."));
        }
    }
}
