namespace GuardGateway.ModelForge;

/// <summary>Floating-point type of a forged model's weights, KV cache tensors and logits.</summary>
public enum ForgeDType
{
    /// <summary>float32 weights, <c>past_key_values</c>/<c>present</c> and <c>logits</c>.</summary>
    Fp32,

    /// <summary>
    /// float16 weights, <c>past_key_values</c>/<c>present</c> and <c>logits</c>, like the onnx-community fp16
    /// exports with fp16 I/O. Integer inputs stay int64. Norms, RoPE angles and softmax run in float32 inside
    /// the graph (as the reference PyTorch model does) and are cast back.
    /// </summary>
    Fp16,
}
