namespace GuardGateway.Bench.Load.Stub;

/// <summary>The fault the chaos strategy injects into the stub classifier (a runtime failure of the engine).</summary>
internal sealed class InjectedFaultException : Exception
{
    public InjectedFaultException()
        : base("chaos: injected classifier fault")
    {
    }

    public InjectedFaultException(string message)
        : base(message)
    {
    }

    public InjectedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
