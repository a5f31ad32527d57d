namespace GuardGateway.Server.Proxy;

/// <summary>The start of a streaming call: a finished outcome (refusal, buffered answer or error), or an open moderated stream.</summary>
/// <param name="Finished">Set when there is nothing to stream event by event.</param>
/// <param name="Stream">Set when the upstream stream is open.</param>
internal readonly record struct ProxyStreamOutcome(ProxyOutcome? Finished, ProxyStream? Stream);
