namespace GuardGateway.Inference.Options;

/// <summary>Where ONNX Runtime runs the guard model.</summary>
public enum GuardExecutionProvider
{
    /// <summary>The CPU execution provider (default; needs nothing beyond the NuGet package).</summary>
    Cpu,

    /// <summary>
    /// The CUDA execution provider (needs a CUDA 13 runtime and cuDNN 9 on the host). When the libraries are
    /// missing, loading fails with a clear error unless <see cref="GuardInferenceOptions.FallbackToCpu"/> is set.
    /// </summary>
    Cuda,
}
