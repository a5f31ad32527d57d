namespace GuardGateway.Backends.Configuration;

/// <summary>The model servers the gateway forwards to. Bound from the configuration section passed to <c>AddGuardBackends</c>.</summary>
public sealed class GuardBackendsOptions
{
    /// <summary>The backends, at least one. Names must be unique, and each model name may be routed to one backend only.</summary>
    public IList<BackendOptions> Backends { get; } = [];
}
