using System.Globalization;
using GuardGateway.ModelForge.Onnx;
using DataType = GuardGateway.ModelForge.Onnx.TensorProto.Types.DataType;

namespace GuardGateway.ModelForge;

/// <summary>
/// A genuine Llama decoder as an ONNX graph (the math of HF <c>LlamaForCausalLM</c>): token embedding, per layer
/// RMSNorm → attention (RoPE rotate-half, grouped-query attention by repeating KV heads, causal and padding
/// masks) → residual → RMSNorm → SwiGLU MLP → residual, final RMSNorm, untied <c>lm_head</c>. Weights are
/// seeded; matrices are stored [in, out] as exporters store them for MatMul.
/// </summary>
internal sealed class TinyLlamaGraph
{
    private readonly TinyLlamaOptions _options;
    private readonly OnnxGraphBuilder _b = new("tiny_llama");
    private readonly DeterministicRandom _random;
    private readonly DataType _floatType;

    private TinyLlamaGraph(TinyLlamaOptions options)
    {
        _options = options;
        _random = new DeterministicRandom(options.Seed);
        _floatType = LlamaIoContract.FloatType(options.DType);
    }

    /// <summary>Builds the graph; the returned builder holds the initializers for the writer.</summary>
    public static (ModelProto Model, OnnxGraphBuilder Builder) Build(TinyLlamaOptions options)
    {
        var graph = new TinyLlamaGraph(options);
        var model = graph.BuildModel();
        return (model, graph._b);
    }

    private ModelProto BuildModel()
    {
        var o = _options;
        LlamaIoContract.Declare(_b, o.Layers, o.KvHeads, o.HeadDim, o.DType, o.IncludePositionIds);

        var embedding = Weight("model.embed_tokens.weight", [Forge.VocabularySize, o.Hidden], 1.0);
        var x = _b.Gather(embedding, LlamaIoContract.InputIds);
        var (cos, sin) = RotaryTables(LlamaIoContract.Positions(_b, o.IncludePositionIds));
        var allowed = AttentionAllowed();

        for (var layer = 0; layer < o.Layers; layer++)
        {
            var prefix = "model.layers." + layer.ToString(CultureInfo.InvariantCulture);
            var attentionInput = RmsNorm(x, prefix + ".input_layernorm.weight");
            x = _b.Add(x, Attention(attentionInput, layer, prefix + ".self_attn", cos, sin, allowed));
            var mlpInput = RmsNorm(x, prefix + ".post_attention_layernorm.weight");
            x = _b.Add(x, Mlp(mlpInput, prefix + ".mlp"));
        }

        var normed = RmsNorm(x, "model.norm.weight");
        var lmHead = Weight("lm_head.weight", [o.Hidden, Forge.VocabularySize], 1.0 / Math.Sqrt(o.Hidden));
        _b.MatMul(normed, lmHead, LlamaIoContract.Logits);
        return _b.ToModel(Forge.FormatVersion.ToString(CultureInfo.InvariantCulture), "GuardGateway tiny Llama decoder (seeded random weights; test model, not a guard).");
    }

    /// <summary>cos/sin of the rotary angles, [batch, 1, seq, head_dim], computed in float32.</summary>
    private (string Cos, string Sin) RotaryTables(string positions)
    {
        var half = _options.HeadDim / 2;
        var inverseFrequencies = new float[half];
        for (var i = 0; i < half; i++)
        {
            inverseFrequencies[i] = (float)(1.0 / Math.Pow(_options.RopeTheta, 2.0 * i / _options.HeadDim));
        }

        var frequencies = _b.Weight("rotary.inv_freq", DataType.Float, [half], TensorBytes.Of(inverseFrequencies));
        var angles = _b.Mul(_b.Unsqueeze(_b.Cast(positions, DataType.Float), 2), frequencies);
        var full = _b.Concat(-1, null, angles, angles);
        var cos = _b.Unsqueeze(_b.Cos(full), 1);
        var sin = _b.Unsqueeze(_b.Sin(full), 1);
        return _floatType == DataType.Float ? (cos, sin) : (_b.Cast(cos, _floatType), _b.Cast(sin, _floatType));
    }

    /// <summary>[batch, 1, seq, total] bool: key j is visible to new token i when j ≤ past + i and mask[j] = 1.</summary>
    private string AttentionAllowed()
    {
        var total = _b.Squeeze(_b.ShapeOf(LlamaIoContract.AttentionMask, 1, 2), 0);
        var sequence = _b.Squeeze(_b.ShapeOf(LlamaIoContract.InputIds, 1, 2), 0);
        var past = _b.Sub(total, sequence);
        var one = _b.Int64Scalar(1);
        var keyPositions = _b.Range(_b.Int64Scalar(0), total, one);
        var queryPositions = _b.Unsqueeze(_b.Range(past, total, one), 1);
        var causal = _b.LessOrEqual(keyPositions, queryPositions);
        var notPadding = _b.Unsqueeze(_b.Cast(LlamaIoContract.AttentionMask, DataType.Bool), 1, 2);
        return _b.And(causal, notPadding);
    }

    private string Attention(string x, int layer, string prefix, string cos, string sin, string allowed)
    {
        var o = _options;
        var inStd = 1.0 / Math.Sqrt(o.Hidden);
        var q = Heads(_b.MatMul(x, Weight(prefix + ".q_proj.weight", [o.Hidden, o.Heads * o.HeadDim], inStd)), o.Heads);
        var k = Heads(_b.MatMul(x, Weight(prefix + ".k_proj.weight", [o.Hidden, o.KvHeads * o.HeadDim], inStd)), o.KvHeads);
        var v = Heads(_b.MatMul(x, Weight(prefix + ".v_proj.weight", [o.Hidden, o.KvHeads * o.HeadDim], inStd)), o.KvHeads);

        q = Rotate(q, cos, sin);
        k = Rotate(k, cos, sin);

        var presentKey = _b.Concat(2, LlamaIoContract.PresentKey(layer), LlamaIoContract.PastKey(layer), k);
        var presentValue = _b.Concat(2, LlamaIoContract.PresentValue(layer), LlamaIoContract.PastValue(layer), v);
        var keys = RepeatKv(presentKey);
        var values = RepeatKv(presentValue);

        // Scale q before the product (as fused attention does) so float16 scores stay small.
        var scaledQ = _b.Mul(q, _b.FloatScalar((float)(1.0 / Math.Sqrt(o.HeadDim)), _floatType));
        var scores = _b.MatMul(scaledQ, _b.Transpose(keys, 0, 1, 3, 2));
        var scores32 = ToFloat32(scores);

        // Masked scores become the float32 minimum exactly (Where, not an added bias): a fully masked row
        // (a padding query) is then uniform instead of NaN.
        var masked = _b.Where(allowed, scores32, _b.FloatScalar(float.MinValue, DataType.Float));
        var probabilities = FromFloat32(_b.Softmax(masked, -1));
        var context = _b.MatMul(probabilities, values);
        var merged = _b.Reshape(_b.Transpose(context, 0, 2, 1, 3), 0, 0, o.Heads * o.HeadDim);
        return _b.MatMul(merged, Weight(prefix + ".o_proj.weight", [o.Heads * o.HeadDim, o.Hidden], 1.0 / Math.Sqrt(o.Heads * o.HeadDim)));
    }

    /// <summary>[batch, seq, heads·head_dim] → [batch, heads, seq, head_dim].</summary>
    private string Heads(string projected, int heads) =>
        _b.Transpose(_b.Reshape(projected, 0, 0, heads, _options.HeadDim), 0, 2, 1, 3);

    /// <summary>x·cos + rotate_half(x)·sin with rotate_half(x) = [−x₂, x₁].</summary>
    private string Rotate(string x, string cos, string sin)
    {
        var half = _options.HeadDim / 2;
        var first = _b.Slice(x, 3, 0, half);
        var second = _b.Slice(x, 3, half, _options.HeadDim);
        var rotated = _b.Concat(3, null, _b.Neg(second), first);
        return _b.Add(_b.Mul(x, cos), _b.Mul(rotated, sin));
    }

    /// <summary>HF <c>repeat_kv</c>: [batch, kv, total, d] → [batch, heads, total, d], each KV head serving heads/kv queries.</summary>
    private string RepeatKv(string kv)
    {
        var groups = _options.Heads / _options.KvHeads;
        if (groups == 1)
        {
            return kv;
        }

        var expanded = _b.Expand(_b.Unsqueeze(kv, 2), _b.Int64s(1, 1, groups, 1, 1));
        return _b.Reshape(expanded, 0, _options.Heads, -1, _options.HeadDim);
    }

    private string Mlp(string x, string prefix)
    {
        var o = _options;
        var gate = _b.MatMul(x, Weight(prefix + ".gate_proj.weight", [o.Hidden, o.Intermediate], 1.0 / Math.Sqrt(o.Hidden)));
        var up = _b.MatMul(x, Weight(prefix + ".up_proj.weight", [o.Hidden, o.Intermediate], 1.0 / Math.Sqrt(o.Hidden)));
        var activated = _b.Mul(_b.Mul(gate, _b.Sigmoid(gate)), up);
        return _b.MatMul(activated, Weight(prefix + ".down_proj.weight", [o.Intermediate, o.Hidden], 1.0 / Math.Sqrt(o.Intermediate)));
    }

    /// <summary>HF LlamaRMSNorm: normalise in float32, cast back, then scale by the weight.</summary>
    private string RmsNorm(string x, string weightName)
    {
        var weight = _b.Weight(weightName, _floatType, [_options.Hidden], Encode(_random.Around(_options.Hidden, 1f, 0.2f)));
        var x32 = ToFloat32(x);
        var meanSquare = _b.ReduceMean(_b.Mul(x32, x32), -1, keepDims: true);
        var inverseRms = _b.Reciprocal(_b.Sqrt(_b.Add(meanSquare, _b.FloatScalar(_options.RmsNormEpsilon, DataType.Float))));
        return _b.Mul(FromFloat32(_b.Mul(x32, inverseRms)), weight);
    }

    private string ToFloat32(string x) => _floatType == DataType.Float ? x : _b.Cast(x, DataType.Float);

    private string FromFloat32(string x) => _floatType == DataType.Float ? x : _b.Cast(x, _floatType);

    private string Weight(string name, long[] dims, double std)
    {
        var count = dims.Aggregate(1L, (a, d) => a * d);
        return _b.Weight(name, _floatType, dims, Encode(_random.Uniform(count, std)));
    }

    private byte[] Encode(float[] values) =>
        _floatType == DataType.Float16 ? TensorBytes.AsFloat16(values) : TensorBytes.Of(values);
}
