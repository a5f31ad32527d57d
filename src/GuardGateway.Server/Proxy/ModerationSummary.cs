using GuardGateway.Core.Moderation;

namespace GuardGateway.Server.Proxy;

/// <summary>What the fronts report about one judgement (the request or one choice). Never contains text.</summary>
/// <param name="Action">The action applied (redact when text was removed; block when withheld).</param>
/// <param name="Direction">Input or output.</param>
/// <param name="Categories">Codes of the reported categories.</param>
/// <param name="PolicyId">The deciding policy.</param>
/// <param name="PolicyVersion">Its exact version.</param>
/// <param name="Model">The guard model.</param>
/// <param name="DemoModel">True for the planted demo guard.</param>
/// <param name="NoVerdict">True when the guard gave no verdict.</param>
/// <param name="FailedOpen">True when there was no verdict and the policy let the text through.</param>
/// <param name="Reason">Short reason (codes and error kinds only).</param>
internal sealed record ModerationSummary(
    ModerationAction Action,
    ModerationDirection Direction,
    IReadOnlyList<string> Categories,
    string PolicyId,
    string PolicyVersion,
    string Model,
    bool DemoModel,
    bool NoVerdict,
    bool FailedOpen,
    string Reason)
{
    /// <summary>The summary of a decision, with the action actually applied.</summary>
    public static ModerationSummary From(ModerationDecision decision, bool demoModel, ModerationAction? applied = null, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new(
            applied ?? decision.Action,
            decision.Direction,
            [.. decision.Categories.Where(c => c.Reported).Select(c => c.Code)],
            decision.PolicyId,
            decision.PolicyVersion,
            decision.Model,
            demoModel,
            decision.NoVerdict is not null,
            decision.FailedOpen,
            reason ?? decision.Reason);
    }

    /// <summary>Whether the text was withheld.</summary>
    public bool Blocked => Action == ModerationAction.Block;
}
