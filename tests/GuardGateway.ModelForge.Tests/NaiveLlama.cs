namespace GuardGateway.ModelForge.Tests;

/// <summary>
/// An independent, loop-by-loop Llama forward pass in float64 (HF LlamaForCausalLM math, one sequence, no
/// cache), to check the forged ONNX graph computes what it claims.
/// </summary>
internal sealed class NaiveLlama(ForgedWeights weights, TinyLlamaOptions o)
{
    private const int Vocabulary = Forge.VocabularySize;

    /// <summary>Logits [position][vocab] for every position.</summary>
    public double[][] Forward(long[] ids)
    {
        var seq = ids.Length;
        var embedding = weights["model.embed_tokens.weight"];
        var x = new double[seq][];
        for (var t = 0; t < seq; t++)
        {
            x[t] = new double[o.Hidden];
            for (var i = 0; i < o.Hidden; i++)
            {
                x[t][i] = embedding[(ids[t] * o.Hidden) + i];
            }
        }

        for (var layer = 0; layer < o.Layers; layer++)
        {
            var p = "model.layers." + layer + ".";
            var h = x.Select(r => RmsNorm(r, weights[p + "input_layernorm.weight"])).ToArray();
            var attention = Attention(h, p + "self_attn.");
            x = [.. x.Select((r, t) => Add(r, attention[t]))];
            var h2 = x.Select(r => RmsNorm(r, weights[p + "post_attention_layernorm.weight"])).ToArray();
            x = [.. x.Select((r, t) => Add(r, Mlp(h2[t], p + "mlp.")))];
        }

        var lmHead = weights["lm_head.weight"];
        var norm = weights["model.norm.weight"];
        return [.. x.Select(r => MatVec(RmsNorm(r, norm), lmHead, o.Hidden, Vocabulary))];
    }

    private double[][] Attention(double[][] h, string p)
    {
        var seq = h.Length;
        var d = o.HeadDim;
        var q = h.Select(r => MatVec(r, weights[p + "q_proj.weight"], o.Hidden, o.Heads * d)).ToArray();
        var k = h.Select(r => MatVec(r, weights[p + "k_proj.weight"], o.Hidden, o.KvHeads * d)).ToArray();
        var v = h.Select(r => MatVec(r, weights[p + "v_proj.weight"], o.Hidden, o.KvHeads * d)).ToArray();
        for (var t = 0; t < seq; t++)
        {
            for (var head = 0; head < o.Heads; head++)
            {
                Rope(q[t], head * d, t);
            }

            for (var head = 0; head < o.KvHeads; head++)
            {
                Rope(k[t], head * d, t);
            }
        }

        var groups = o.Heads / o.KvHeads;
        var context = new double[seq][];
        for (var t = 0; t < seq; t++)
        {
            context[t] = new double[o.Heads * d];
            for (var head = 0; head < o.Heads; head++)
            {
                var kvHead = head / groups;
                var scores = new double[t + 1];
                for (var s = 0; s <= t; s++)
                {
                    var dot = 0.0;
                    for (var i = 0; i < d; i++)
                    {
                        dot += q[t][(head * d) + i] * k[s][(kvHead * d) + i];
                    }

                    scores[s] = dot / Math.Sqrt(d);
                }

                var max = scores.Max();
                var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                var sum = exp.Sum();
                for (var s = 0; s <= t; s++)
                {
                    for (var i = 0; i < d; i++)
                    {
                        context[t][(head * d) + i] += exp[s] / sum * v[s][(kvHead * d) + i];
                    }
                }
            }
        }

        var output = weights[p + "o_proj.weight"];
        return [.. context.Select(c => MatVec(c, output, o.Heads * d, o.Hidden))];
    }

    private void Rope(double[] vector, int start, int position)
    {
        var half = o.HeadDim / 2;
        for (var i = 0; i < half; i++)
        {
            var angle = position / Math.Pow(o.RopeTheta, 2.0 * i / o.HeadDim);
            var (sin, cos) = Math.SinCos(angle);
            var first = vector[start + i];
            var second = vector[start + half + i];
            vector[start + i] = (first * cos) - (second * sin);
            vector[start + half + i] = (second * cos) + (first * sin);
        }
    }

    private double[] Mlp(double[] h, string p)
    {
        var gate = MatVec(h, weights[p + "gate_proj.weight"], o.Hidden, o.Intermediate);
        var up = MatVec(h, weights[p + "up_proj.weight"], o.Hidden, o.Intermediate);
        var activated = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
        return MatVec(activated, weights[p + "down_proj.weight"], o.Intermediate, o.Hidden);
    }

    private double[] RmsNorm(double[] x, float[] weight)
    {
        var inverse = 1.0 / Math.Sqrt((x.Sum(v => v * v) / x.Length) + o.RmsNormEpsilon);
        return [.. x.Select((v, i) => v * inverse * weight[i])];
    }

    /// <summary>x · W with W stored [in, out] row-major (as the graph's MatMul weights).</summary>
    private static double[] MatVec(double[] x, float[] w, int rows, int columns)
    {
        var result = new double[columns];
        for (var r = 0; r < rows; r++)
        {
            var xr = x[r];
            var offset = (long)r * columns;
            for (var c = 0; c < columns; c++)
            {
                result[c] += xr * w[offset + c];
            }
        }

        return result;
    }

    private static double[] Add(double[] a, double[] b) => [.. a.Select((v, i) => v + b[i])];
}
