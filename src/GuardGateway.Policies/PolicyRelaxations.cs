using System.Globalization;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;

namespace GuardGateway.Policies;

/// <summary>
/// Finds the ways a policy change weakens protection for sensitive categories, so the server can demand an
/// elevated permission for it (RELIABILITY T18: relaxing S1/S4/S9). Pure; names codes and actions only.
/// </summary>
public static class PolicyRelaxations
{
    /// <summary>The categories whose relaxation needs elevated permission by default: violent crimes, child exploitation, indiscriminate weapons.</summary>
    public static IReadOnlyList<string> DefaultProtectedCodes { get; } = ["S1", "S4", "S9"];

    /// <summary>
    /// Lists every relaxation from <paramref name="before"/> to <paramref name="after"/>: fail-open introduced;
    /// a protected category removed, excluded, re-worded in the prompt, given a milder action or a higher
    /// threshold in either direction. With no <paramref name="before"/> (a new policy), the baseline is the
    /// trained taxonomy: present, trained prompt, <c>block</c> both ways at threshold 0.5, fail-closed.
    /// </summary>
    public static IReadOnlyList<string> Find(ModerationPolicy? before, ModerationPolicy after, IReadOnlyCollection<string>? protectedCodes = null)
    {
        ArgumentNullException.ThrowIfNull(after);
        protectedCodes ??= DefaultProtectedCodes;
        var found = new List<string>();
        if (after.OnError == FailMode.Open && before?.OnError != FailMode.Open)
        {
            found.Add("on_error becomes allow (fail-open)");
        }

        foreach (var code in protectedCodes)
        {
            var was = Baseline(before, code);
            if (was is null)
            {
                continue;
            }

            var now = after.EnabledCategories.FirstOrDefault(c => c.Code == code);
            if (now is null)
            {
                found.Add($"{code} is removed or excluded");
                continue;
            }

            if (now.Prompt != was.Value.Prompt)
            {
                found.Add($"{code} prompt text changes");
            }

            foreach (var direction in (ModerationDirection[])[ModerationDirection.Input, ModerationDirection.Output])
            {
                var name = direction == ModerationDirection.Input ? "input" : "output";
                var (wasAction, wasThreshold) = direction == ModerationDirection.Input ? (was.Value.InputAction, was.Value.InputThreshold) : (was.Value.OutputAction, was.Value.OutputThreshold);
                var action = now.RuleFor(direction).Action;
                var threshold = after.ThresholdFor(now, direction);
                if (action < wasAction)
                {
                    found.Add($"{code} {name} action {wasAction.ToWireName()} -> {action.ToWireName()}");
                }

                if (threshold > wasThreshold)
                {
                    found.Add(string.Create(CultureInfo.InvariantCulture, $"{code} {name} threshold {wasThreshold:0.###} -> {threshold:0.###}"));
                }
            }
        }

        return found;
    }

    private static (string Prompt, ModerationAction InputAction, float InputThreshold, ModerationAction OutputAction, float OutputThreshold)? Baseline(ModerationPolicy? before, string code)
    {
        if (before is null)
        {
            return HazardTaxonomy.Find(code) is { } trained ? (trained.Prompt, ModerationAction.Block, 0.5f, ModerationAction.Block, 0.5f) : null;
        }

        var category = before.EnabledCategories.FirstOrDefault(c => c.Code == code);
        return category is null
            ? null
            : (category.Prompt, category.Input.Action, before.ThresholdFor(category, ModerationDirection.Input), category.Output.Action, before.ThresholdFor(category, ModerationDirection.Output));
    }
}
