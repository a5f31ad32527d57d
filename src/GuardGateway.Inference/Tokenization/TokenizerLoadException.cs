namespace GuardGateway.Inference.Tokenization;

/// <summary>A tokenizer file is missing or is not a Llama 3 tokenizer. Raised at load time only.</summary>
public sealed class TokenizerLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TokenizerLoadException()
    {
    }

    /// <summary>Creates the exception with a specific message.</summary>
    public TokenizerLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public TokenizerLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
