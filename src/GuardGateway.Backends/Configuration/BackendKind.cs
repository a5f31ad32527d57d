namespace GuardGateway.Backends.Configuration;

/// <summary>The protocol a backend speaks (configuration values <c>openai</c> and <c>kserve</c>, case-insensitive).</summary>
public enum BackendKind
{
    /// <summary>OpenAI-compatible HTTP: vLLM, TGI, llama.cpp server, Ollama (<c>/v1/chat/completions</c>, <c>/v1/completions</c>, SSE).</summary>
    OpenAi,

    /// <summary>KServe v2 / Open Inference Protocol over gRPC with text tensors (Triton, TensorRT-LLM).</summary>
    KServe,
}
