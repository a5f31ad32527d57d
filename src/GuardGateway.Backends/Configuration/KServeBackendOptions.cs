namespace GuardGateway.Backends.Configuration;

/// <summary>How a <c>kserve</c> backend's text model is called (the TensorRT-LLM / Triton ensemble conventions by default).</summary>
public sealed class KServeBackendOptions
{
    /// <summary>The BYTES input tensor holding the prompt. Default <c>text_input</c>.</summary>
    public string TextInputName { get; set; } = "text_input";

    /// <summary>The BYTES output tensor holding the generated text. Default <c>text_output</c>.</summary>
    public string TextOutputName { get; set; } = "text_output";

    /// <summary>The INT32 input tensor for the token limit; empty = not sent. Default <c>max_tokens</c>.</summary>
    public string MaxTokensInputName { get; set; } = "max_tokens";

    /// <summary>The BOOL input tensor that asks for streaming; empty = not sent. Default <c>stream</c>.</summary>
    public string StreamInputName { get; set; } = "stream";

    /// <summary>The FP32 input tensor for <c>temperature</c>; empty = not sent (a model rejects inputs it does not declare). Default empty.</summary>
    public string TemperatureInputName { get; set; } = "";

    /// <summary>The FP32 input tensor for <c>top_p</c>; empty = not sent. Default empty.</summary>
    public string TopPInputName { get; set; } = "";

    /// <summary>
    /// Whether the Llama 3 template starts with <c>&lt;|begin_of_text|&gt;</c>. Default false: the server's tokenizer
    /// (Hugging Face, TensorRT-LLM preprocessing) normally adds the BOS token itself, and two BOS tokens hurt quality.
    /// </summary>
    public bool PrependBeginOfText { get; set; }

    /// <summary>The token limit sent when the request has none (TensorRT-LLM requires one), 1 or more. Default 512.</summary>
    public int DefaultMaxTokens { get; set; } = 512;

    /// <summary>The model version to request; empty = the server's choice.</summary>
    public string ModelVersion { get; set; } = "";

    /// <summary>How input tensors are encoded. Default <see cref="KServeTensorEncoding.BytesContents"/>.</summary>
    public KServeTensorEncoding InputEncoding { get; set; } = KServeTensorEncoding.BytesContents;

    /// <summary>How chat messages become the prompt text. Default <see cref="KServePromptTemplate.Llama3"/>.</summary>
    public KServePromptTemplate PromptTemplate { get; set; } = KServePromptTemplate.Llama3;
}
