using GuardGateway.Core.Moderation;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Streaming;

/// <summary>The terminal event of a moderated stream. Never contains payload text.</summary>
public sealed record ModeratedStreamEnd : ModeratedStreamEvent
{
    /// <summary>Why it ended.</summary>
    public required StreamEndReason Reason { get; init; }

    /// <summary>
    /// For <see cref="StreamEndReason.Blocked"/>: the blocking decision (<see cref="ModerationDecision.FailedClosed"/>
    /// tells a no-verdict block, which a front may map to <c>UNAVAILABLE</c> per policy). For
    /// <see cref="StreamEndReason.Completed"/>: the most severe decision of the stream's checks (a flag, a
    /// fail-open allow, or the last allow), null when nothing needed a check.
    /// </summary>
    public ModerationDecision? Decision { get; init; }

    /// <summary>The choice whose check blocked, for <see cref="StreamEndReason.Blocked"/>.</summary>
    public int? BlockedChoiceIndex { get; init; }

    /// <summary>The upstream's or the caller's error, for <see cref="StreamEndReason.UpstreamFailed"/>, <see cref="StreamEndReason.Cancelled"/> and <see cref="StreamEndReason.InvalidContext"/>.</summary>
    public GuardError? Error { get; init; }

    /// <summary>What the stream cost and released.</summary>
    public required StreamModerationStats Stats { get; init; }

    /// <summary>True only for <see cref="StreamEndReason.Completed"/>: the front may finish the stream normally (SSE <c>[DONE]</c>, gRPC OK).</summary>
    public bool IsClean => Reason == StreamEndReason.Completed;

    /// <summary>
    /// True when the stream ended before the upstream finished: the caller must cancel and dispose the upstream
    /// (<see cref="Backends.ChatStreamSession.DisposeAsync"/>) instead of reading it further.
    /// </summary>
    public bool CancelUpstream => Reason != StreamEndReason.Completed;
}
