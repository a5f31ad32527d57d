namespace GuardGateway.Backends.OpenAi;

/// <summary>
/// Raised inside <see cref="OpenAiWireFormat"/> while walking a document and caught at its public boundary, where it
/// becomes a <see cref="Core.Results.GuardError"/>. Its message names fields, never values.
/// </summary>
internal sealed class WireFormatException : Exception
{
    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException()
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
