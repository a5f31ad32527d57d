using GuardGateway.Core.Backends;

namespace GuardGateway.Server.Proxy;

/// <summary>A moderated answer: only text the guard judged (or the refusal) is in <see cref="Completion"/>.</summary>
internal sealed record ProxyAnswer
{
    /// <summary>The answer to deliver: allowed, redacted or refused choices.</summary>
    public required ChatCompletion Completion { get; init; }

    /// <summary>The input judgement.</summary>
    public required ModerationSummary Input { get; init; }

    /// <summary>Per choice, in choice order.</summary>
    public required IReadOnlyList<ChoiceOutcome> Choices { get; init; }

    /// <summary>True when the input was blocked (no backend was called).</summary>
    public bool InputBlocked { get; init; }

    /// <summary>True when any judgement let text through without a verdict (fail-open): the fronts say so in a header.</summary>
    public bool FailedOpen { get; init; }
}
