namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>What a T1 client saw.</summary>
internal enum ChaosCallOutcome
{
    /// <summary>An answer that finished with <c>stop</c> (a stream: OK status, <c>stop</c>, no <c>content_filter</c>).</summary>
    Clean,

    /// <summary>The configured no-verdict code: HTTP 503 <c>no_verdict</c> / gRPC UNAVAILABLE with reason NO_VERDICT.</summary>
    ConfiguredCode,

    /// <summary>An answer refused or cut after the start (<c>content_filter</c>, a non-OK end of a stream).</summary>
    Filtered,

    /// <summary>Anything else: always a test failure.</summary>
    Other,
}
