using System.Globalization;

namespace GuardGateway.ModelForge;

/// <summary>
/// The sizes every forged decoder shares (tiny Llama and planted guard): they shape the KV cache and
/// <c>config.json</c>, so both kinds validate and take them from the command line the same way.
/// </summary>
public abstract record ForgedDecoderShape
{
    /// <summary>Layers, i.e. past/present pairs (default 2).</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Hidden size (default 64).</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Attention heads (default 4); a multiple of <see cref="KvHeads"/>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>KV heads (default 2; grouped-query attention when fewer than <see cref="Heads"/>).</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Head dimension (default 16).</summary>
    public int HeadDim { get; init; } = 16;

    /// <summary>MLP intermediate size (default 128).</summary>
    public int Intermediate { get; init; } = 128;

    /// <summary>Weights, KV and logits type (default float32).</summary>
    public ForgeDType DType { get; init; } = ForgeDType.Fp32;

    /// <summary>Whether the graph declares <c>position_ids</c> (default true, like the onnx-community exports).</summary>
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

        ValidateKind(errors);
        return errors;
    }

    /// <summary>Adds the problems specific to one kind of model.</summary>
    protected abstract void ValidateKind(List<string> errors);

    private static void Positive(List<string> errors, string name, int value)
    {
        if (value <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive (got {value})."));
        }
    }
}
