using GuardGateway.Core.Backends;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Streaming;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// An open, moderated stream: <see cref="Events"/> yields only verified text and ends with one
/// <see cref="ModeratedStreamEnd"/>. Dispose it to release (and abort, if still running) the upstream call.
/// </summary>
internal sealed class ProxyStream(ModerationSummary input, bool inputFailedOpen, ModerationPolicy policy, IAsyncEnumerable<ModeratedStreamEvent> events, ChatStreamSession upstream) : IAsyncDisposable
{
    /// <summary>The input judgement (allowed or flagged).</summary>
    public ModerationSummary Input { get; } = input;

    /// <summary>Whether the input passed without a verdict (fail-open): the header can still say so.</summary>
    public bool InputFailedOpen { get; } = inputFailedOpen;

    /// <summary>The policy of the call.</summary>
    public ModerationPolicy Policy { get; } = policy;

    /// <summary>The moderated events.</summary>
    public IAsyncEnumerable<ModeratedStreamEvent> Events { get; } = events;

    public ValueTask DisposeAsync() => upstream.DisposeAsync();
}
