namespace GuardGateway.Backends.Configuration;

/// <summary>How a chat request is turned into the prompt text of a KServe text model.</summary>
public enum KServePromptTemplate
{
    /// <summary>The Llama 3 chat template (header and <c>eot</c> markers as text; the server's tokenizer maps them).</summary>
    Llama3,

    /// <summary>No template: only legacy text completions are accepted; chat requests are rejected.</summary>
    None,
}
