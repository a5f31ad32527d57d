using System.Globalization;
using System.Text;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Moderation;

/// <summary>
/// Turns a guard classification and a policy into a decision (POLICY_SKETCH semantics). Pure: no I/O, no clock.
/// <list type="bullet">
/// <item>A category is reported when P(unsafe) ≥ its threshold for the direction and the decoded list names it.</item>
/// <item>The decision is the most severe action (allow &lt; flag &lt; redact &lt; block) among reported categories, or allow.</item>
/// <item>No verdict (classifier error, parse failure, an answer inconsistent with the policy) follows
/// <c>on_error</c>: closed blocks with a reason saying <c>fail-closed</c>; open allows with <see cref="ModerationDecision.FailedOpen"/>.</item>
/// </list>
/// </summary>
public static class DecisionEvaluator
{
    /// <summary>Evaluates a classification of the message in <paramref name="direction"/> under <paramref name="policy"/>.</summary>
    public static ModerationDecision Evaluate(GuardClassification classification, ModerationPolicy policy, ModerationDirection direction)
    {
        ArgumentNullException.ThrowIfNull(classification);
        ArgumentNullException.ThrowIfNull(policy);
        var probability = classification.UnsafeProbability;

        // NaN or out-of-range scores are a broken classifier, not a verdict.
        if (!IsProbability(probability))
        {
            return NoVerdict(
                new GuardError(GuardErrorCode.ClassifierFailure, "The classifier returned an unsafe probability outside [0, 1]."),
                policy, direction, classification.Model, classification);
        }

        switch (classification.Outcome)
        {
            case GuardOutcome.ParseFailure:
                return NoVerdict(
                    new GuardError(GuardErrorCode.ParseFailure, classification.ParseFailureReason ?? "The guard's answer did not follow the output grammar."),
                    policy, direction, classification.Model, classification);
            case GuardOutcome.Safe:
                return Decision(policy, direction, classification, ModerationAction.Allow, [], "safe");
            case GuardOutcome.Unsafe:
                return EvaluateUnsafe(classification, policy, direction);
            default:
                return NoVerdict(
                    new GuardError(GuardErrorCode.ClassifierFailure, "The classifier returned an unknown outcome."),
                    policy, direction, classification.Model, classification);
        }
    }

    /// <summary>The decision when the classifier produced no verdict at all (error, timeout, queue full…).</summary>
    public static ModerationDecision EvaluateFailure(GuardError error, ModerationPolicy policy, ModerationDirection direction, string model)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(model);
        return NoVerdict(error, policy, direction, model, null);
    }

    /// <summary>
    /// Applies the policy's <c>unsupported_language</c> rule to a decision about a message in an unsupported
    /// language: <c>allow</c> only marks it, <c>flag</c> raises the action to at least flag, <c>block</c> blocks.
    /// </summary>
    public static ModerationDecision ApplyUnsupportedLanguage(ModerationDecision decision, ModerationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(policy);
        var floor = policy.UnsupportedLanguage switch
        {
            UnsupportedLanguageAction.Block => ModerationAction.Block,
            UnsupportedLanguageAction.Flag => ModerationAction.Flag,
            _ => ModerationAction.Allow,
        };
        return decision with
        {
            // Stryker disable once Equality: on a tie both branches give the same action.
            Action = decision.Action > floor ? decision.Action : floor,
            UnsupportedLanguage = true,
            Reason = decision.Reason + "; unsupported language (" + floor.ToWireName() + ")",
        };
    }

    /// <summary>
    /// The decision for a message in an unsupported language under <c>unsupported_language: block</c>,
    /// without asking the guard.
    /// </summary>
    public static ModerationDecision BlockUnsupportedLanguage(ModerationPolicy policy, ModerationDirection direction, string model)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(model);
        return new ModerationDecision
        {
            Action = ModerationAction.Block,
            Direction = direction,
            UnsafeProbability = 0f,
            Categories = [],
            PolicyId = policy.Id,
            PolicyVersion = policy.Version,
            Model = model,
            Reason = "unsupported language (block)",
            UnsupportedLanguage = true,
        };
    }

    private static ModerationDecision EvaluateUnsafe(GuardClassification classification, ModerationPolicy policy, ModerationDirection direction)
    {
        if (classification.Categories.Count == 0)
        {
            return NoVerdict(
                new GuardError(GuardErrorCode.ParseFailure, "The guard answered unsafe without naming a category."),
                policy, direction, classification.Model, classification);
        }

        var enabled = policy.EnabledCategories.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var verdicts = new List<CategoryVerdict>(classification.Categories.Count);
        var action = ModerationAction.Allow;
        foreach (var code in classification.Categories.Distinct(StringComparer.Ordinal))
        {
            // The parser only accepts codes that were in the prompt; anything else means the classifier and
            // the policy disagree about the prompt, so the answer cannot be trusted.
            if (!enabled.TryGetValue(code, out var category))
            {
                return NoVerdict(
                    new GuardError(GuardErrorCode.ParseFailure, $"The guard named {Shorten(code)}, which is not an enabled category of policy '{policy.Id}'."),
                    policy, direction, classification.Model, classification);
            }

            var rule = category.RuleFor(direction);
            var reported = classification.UnsafeProbability >= policy.ThresholdFor(category, direction);
            var score = classification.CategoryScores.TryGetValue(code, out var s) ? s : classification.UnsafeProbability;
            verdicts.Add(new CategoryVerdict(code, category.Name, score, rule.Action, reported));
            // Stryker disable once Equality: ">=" only re-assigns the same action on a tie.
            if (reported && rule.Action > action)
            {
                action = rule.Action;
            }
        }

        return Decision(policy, direction, classification, action, verdicts, DescribeUnsafe(verdicts, enabled, policy, direction, classification.UnsafeProbability));
    }

    private static string DescribeUnsafe(
        List<CategoryVerdict> verdicts,
        Dictionary<string, PolicyCategory> enabled,
        ModerationPolicy policy,
        ModerationDirection direction,
        float probability)
    {
        var text = new StringBuilder("unsafe: ");
        var first = true;
        foreach (var verdict in verdicts)
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            text.Append(verdict.Code).Append(' ').Append(verdict.Name).Append(" (");
            if (verdict.Reported)
            {
                text.Append(verdict.Action.ToWireName());
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"below threshold: P(unsafe) {probability:0.###} < {policy.ThresholdFor(enabled[verdict.Code], direction):0.###}");
            }

            text.Append(')');
        }

        return text.ToString();
    }

    private static ModerationDecision NoVerdict(GuardError error, ModerationPolicy policy, ModerationDirection direction, string model, GuardClassification? classification)
    {
        var open = policy.OnError == FailMode.Open;
        return new ModerationDecision
        {
            Action = open ? ModerationAction.Allow : ModerationAction.Block,
            Direction = direction,
            UnsafeProbability = classification is not null && IsProbability(classification.UnsafeProbability) ? classification.UnsafeProbability : 0f,
            Categories = [],
            PolicyId = policy.Id,
            PolicyVersion = policy.Version,
            Model = model,
            Reason = (open ? "fail-open: " : "fail-closed: ") + error,
            FailedOpen = open,
            NoVerdict = error,
            Classification = classification,
        };
    }

    private static ModerationDecision Decision(
        ModerationPolicy policy,
        ModerationDirection direction,
        GuardClassification classification,
        ModerationAction action,
        IReadOnlyList<CategoryVerdict> verdicts,
        string reason) => new()
        {
            Action = action,
            Direction = direction,
            UnsafeProbability = classification.UnsafeProbability,
            Categories = verdicts,
            PolicyId = policy.Id,
            PolicyVersion = policy.Version,
            Model = classification.Model,
            Reason = reason,
            Classification = classification,
        };

    /// <summary>In [0, 1]; false for NaN.</summary>
    private static bool IsProbability(float value) => value >= 0f && value <= 1f;

    private static string Shorten(string text) => text.Length <= 16 ? text : string.Concat(text.AsSpan(0, 16), "…");
}
