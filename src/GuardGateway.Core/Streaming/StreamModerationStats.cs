namespace GuardGateway.Core.Streaming;

/// <summary>Per-stream figures (no payload text).</summary>
public sealed record StreamModerationStats
{
    /// <summary>Guard checks run.</summary>
    public required int ChecksRun { get; init; }

    /// <summary>Time spent waiting for the guard, summed over checks.</summary>
    public required TimeSpan GuardTime { get; init; }

    /// <summary>
    /// The added time to first token: from the arrival of the first upstream text to the release of the first
    /// verified text; null when nothing was released.
    /// </summary>
    public required TimeSpan? FirstReleaseDelay { get; init; }

    /// <summary>Characters (UTF-16 code units) received from the upstream: content, tool-call names and arguments.</summary>
    public required long CharsReceived { get; init; }

    /// <summary>Characters released to the client.</summary>
    public required long CharsReleased { get; init; }

    /// <summary>The most characters held back (received, not yet released) at any point.</summary>
    public required long MaxCharsHeld { get; init; }

    /// <summary>True when a check had no verdict and <c>on_error: open</c> let the text through.</summary>
    public required bool FailedOpen { get; init; }

    /// <summary>True when a check flagged the text (released, but marked).</summary>
    public required bool Flagged { get; init; }
}
