using GuardGateway.Contracts.V1;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using Google.Protobuf.WellKnownTypes;
using CategoryVerdictDto = GuardGateway.Contracts.V1.CategoryVerdict;

namespace GuardGateway.Server.Mapping;

/// <summary>Domain decision -> <see cref="ModerateResponse"/>.</summary>
internal static class DecisionMapping
{
    /// <summary>The response for a decision made under <paramref name="policy"/>.</summary>
    public static ModerateResponse ToResponse(ModerationDecision decision, ModerationPolicy policy, GuardModelInfo model, string requestId, TimeSpan total)
    {
        var response = new ModerateResponse
        {
            Decision = ToWire(decision.Action),
            UnsafeProbability = decision.UnsafeProbability,
            PolicyId = decision.PolicyId,
            PolicyVersion = decision.PolicyVersion,
            Model = decision.Model,
            Reason = decision.Reason,
            FailedOpen = decision.FailedOpen,
            DemoModel = model.IsDemo,
            Refusal = decision.Action == ModerationAction.Block ? policy.Refusal : string.Empty,
            Direction = ConversationMapping.ToWire(decision.Direction),
            RequestId = requestId,
            NoVerdict = decision.NoVerdict is not null,
            Timings = ToTimings(decision.Classification?.Timings, total),
        };

        var named = decision.Categories.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var scores = decision.Classification?.CategoryScores;
        foreach (var category in policy.EnabledCategories)
        {
            var rule = category.RuleFor(decision.Direction);
            var verdict = named.GetValueOrDefault(category.Code);
            response.Categories.Add(new CategoryVerdictDto
            {
                Code = category.Code,
                Name = category.Name,
                Score = verdict?.Score ?? (scores is not null && scores.TryGetValue(category.Code, out var s) ? s : 0f),
                Action = ToWireAction(rule.Action),
                Reported = verdict?.Reported ?? false,
                Threshold = policy.ThresholdFor(category, decision.Direction),
            });
        }

        response.ReportedCodes.AddRange(decision.Categories.Where(c => c.Reported).Select(c => c.Code));
        return response;
    }

    /// <summary>The wire decision of an action.</summary>
    public static Decision ToWire(ModerationAction action) => action switch
    {
        ModerationAction.Allow => Decision.Allow,
        ModerationAction.Flag => Decision.Flag,
        ModerationAction.Redact => Decision.Redact,
        ModerationAction.Block => Decision.Block,
        _ => Decision.Unspecified,
    };

    /// <summary>The wire action of a category rule.</summary>
    public static Contracts.V1.Action ToWireAction(ModerationAction action) => action switch
    {
        ModerationAction.Allow => Contracts.V1.Action.Allow,
        ModerationAction.Flag => Contracts.V1.Action.Flag,
        ModerationAction.Redact => Contracts.V1.Action.Redact,
        ModerationAction.Block => Contracts.V1.Action.Block,
        _ => Contracts.V1.Action.Unspecified,
    };

    private static Timings ToTimings(ClassificationTimings? timings, TimeSpan total)
    {
        var result = new Timings { Total = Duration.FromTimeSpan(total) };
        if (timings is not null)
        {
            result.Queued = Duration.FromTimeSpan(timings.Queued);
            result.Prefill = Duration.FromTimeSpan(timings.Prefill);
            result.Decode = Duration.FromTimeSpan(timings.Decode);
            result.Classify = Duration.FromTimeSpan(timings.Total);
        }

        return result;
    }
}
