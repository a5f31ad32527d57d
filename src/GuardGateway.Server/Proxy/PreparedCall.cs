using GuardGateway.Core.Backends;

namespace GuardGateway.Server.Proxy;

/// <summary>A call after input moderation: either finished (<see cref="Done"/>) or ready for its backend.</summary>
/// <param name="Done">The final outcome when the call ends before the backend (refusal or error); null to go on.</param>
internal sealed record PreparedCall(ProxyOutcome? Done)
{
    /// <summary>What the guard judged of the request.</summary>
    public ProxyInput? Input { get; init; }

    /// <summary>The input judgement (allowed or flagged).</summary>
    public ModerationSummary? InputSummary { get; init; }

    /// <summary>Whether the input passed without a verdict (fail-open).</summary>
    public bool InputFailedOpen { get; init; }

    /// <summary>The routed backend.</summary>
    public IChatBackend? Backend { get; init; }
}
