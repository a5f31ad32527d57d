namespace GuardGateway.Core.Streaming;

/// <summary>Why a moderated stream ended.</summary>
public enum StreamEndReason
{
    /// <summary>The upstream completed and every choice passed its final check: the only clean end.</summary>
    Completed,

    /// <summary>
    /// A check blocked (a reported <c>block</c> category, <c>redact</c>, which cannot be localized mid-stream,
    /// or no verdict under <c>on_error: closed</c>). Unfinished choices were finished with
    /// <c>content_filter</c>; no unverified text was released.
    /// </summary>
    Blocked,

    /// <summary>The upstream failed or ended without its terminal event. Not a clean end.</summary>
    UpstreamFailed,

    /// <summary>The caller cancelled (client gone, deadline). Not a clean end.</summary>
    Cancelled,

    /// <summary>The conversation given as context is invalid for the guard (roles out of order…). Nothing was released.</summary>
    InvalidContext,
}
