using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Redaction;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Proxy;

/// <summary>Output moderation: every choice (n &gt; 1) and its tool-call arguments, judged as <c>Agent</c> in context.</summary>
internal sealed partial class ChatProxy
{
    private async Task<ProxyOutcome> ModerateOutputAsync(
        ProxyCall call,
        ProxyInput input,
        ModerationSummary inputSummary,
        bool inputFailedOpen,
        ChatCompletion completion,
        CancellationToken cancellationToken)
    {
        var perPrompt = Math.Max(1, call.Request.ChoiceCount ?? 1);
        var judged = await Task.WhenAll(completion.Choices.Select(choice =>
            ModerateChoiceAsync(call, ContextFor(input, choice.Index, perPrompt), choice, cancellationToken)));

        var choices = new List<ChatChoice>(judged.Length);
        var outcomes = new List<ChoiceOutcome>(judged.Length);
        var failedOpen = inputFailedOpen;
        foreach (var result in judged)
        {
            if (!result.IsSuccess)
            {
                return ProxyError.From(result.Error);
            }

            var (choice, outcome, noVerdictClosed) = result.Value;
            if (noVerdictClosed && options.Value.NoVerdictResponse == NoVerdictResponse.Error)
            {
                return NoVerdictError();
            }

            failedOpen |= outcome.Moderation.FailedOpen;
            choices.Add(choice);
            outcomes.Add(outcome);
        }

        return new ProxyAnswer
        {
            Completion = completion with { Choices = choices },
            Input = inputSummary,
            Choices = outcomes,
            FailedOpen = failedOpen,
        };
    }

    /// <summary>The conversation an answer continues: the chat, or the prompt a legacy choice belongs to (choices are prompt-major).</summary>
    private static IReadOnlyList<ChatMessage> ContextFor(ProxyInput input, int choiceIndex, int perPrompt)
    {
        if (input.Conversation.Count > 0)
        {
            return input.Conversation;
        }

        var prompt = input.Prompts[Math.Clamp(choiceIndex / perPrompt, 0, input.Prompts.Count - 1)];
        return GuardConversation.FromPrompt(prompt);
    }

    private async Task<Result<(ChatChoice Choice, ChoiceOutcome Outcome, bool NoVerdictClosed)>> ModerateChoiceAsync(
        ProxyCall call,
        IReadOnlyList<ChatMessage> context,
        ChatChoice choice,
        CancellationToken cancellationToken)
    {
        var content = choice.Message?.Content ?? choice.Text ?? string.Empty;
        var toolCalls = choice.Message?.ToolCalls ?? [];
        var answer = GuardConversation.TextOf(content, toolCalls);
        var judged = await moderator.ModerateAsync(GuardConversation.WithAnswer(context, answer), call.Policy, ModerationDirection.Output, call.RequestId, cancellationToken);
        if (!judged.IsSuccess)
        {
            return judged.Error;
        }

        var decision = judged.Value;
        if (ShedByGuard(decision) is not null)
        {
            return decision.NoVerdict!;
        }

        var demo = moderator.Model.IsDemo;
        switch (decision.Action)
        {
            case ModerationAction.Block:
                return (Refuse(call, choice), new ChoiceOutcome(choice.Index, ModerationSummary.From(decision, demo), call.Policy.Refusal), decision.FailedClosed);
            case ModerationAction.Redact when toolCalls.Count > 0:
                // Tool-call arguments are JSON a program will run: a partial edit could change its meaning, so withhold it.
                return (Refuse(call, choice), new ChoiceOutcome(choice.Index, ModerationSummary.From(decision, demo, ModerationAction.Block, "redact-not-applicable: tool calls"), call.Policy.Refusal), false);
            default:
                if (toolCalls.Count > 0 || (decision.Action != ModerationAction.Redact && PersonalDataCategory(call.Policy) is null))
                {
                    return (choice, new ChoiceOutcome(choice.Index, ModerationSummary.From(decision, demo), null), false);
                }

                return await RedactAsync(call, context, choice, content, decision, cancellationToken);
        }
    }

    /// <summary>
    /// Redacts a choice: the guard-reported categories whose action is <c>redact</c> are localized by judging each
    /// segment as the assessed <c>Agent</c> message with the conversation as context (all at once, so the engine
    /// batches them). Not the answer's prefix up to the segment: that would contain the unsafe sentence again and flag
    /// every segment after it; personal-data patterns go when the policy redacts
    /// S7 in output. Not localized, a segment worse than redact, or no verdict under a fail-closed policy -> block.
    /// </summary>
    private async Task<Result<(ChatChoice Choice, ChoiceOutcome Outcome, bool NoVerdictClosed)>> RedactAsync(
        ProxyCall call,
        IReadOnlyList<ChatMessage> context,
        ChatChoice choice,
        string content,
        ModerationDecision decision,
        CancellationToken cancellationToken)
    {
        var policy = call.Policy;
        var demo = moderator.Model.IsDemo;
        var unsafeCategories = decision.Action == ModerationAction.Redact
            ? decision.Categories.Where(c => c.Reported && c.Action == ModerationAction.Redact).Select(c => new RedactionCategory(c.Code, c.Name)).ToList()
            : [];
        var segmentWorse = false;
        ModerationDecision? segmentNoVerdict = null;

        async ValueTask<Result<IReadOnlyList<SegmentVerdict>>> ClassifySegments(IReadOnlyList<TextSegment> segments, CancellationToken ct)
        {
            var results = await Task.WhenAll(segments.Select(segment => moderator.ModerateAsync(
                GuardConversation.WithAnswer(context, segment.Content), policy, ModerationDirection.Output, call.RequestId, ct)));
            var verdicts = new List<SegmentVerdict>(segments.Count);
            for (var i = 0; i < segments.Count; i++)
            {
                if (!results[i].IsSuccess)
                {
                    return results[i].Error!;
                }

                var verdict = results[i].Value!;
                if (verdict.NoVerdict is not null && !verdict.FailedOpen)
                {
                    segmentNoVerdict = verdict;
                    return verdict.NoVerdict;
                }

                segmentWorse |= verdict.Action == ModerationAction.Block;
                verdicts.Add(new SegmentVerdict(segments[i].Index, [.. verdict.Categories
                    .Where(c => c.Reported && c.Action == ModerationAction.Redact)
                    .Select(c => new RedactionCategory(c.Code, c.Name))]));
            }

            return verdicts;
        }

        var redacted = await redactor.RedactAsync(
            new RedactionRequest
            {
                Text = content,
                Template = policy.Redaction,
                UnsafeCategories = unsafeCategories,
                PersonalDataCategory = PersonalDataCategory(policy),
            },
            ClassifySegments,
            cancellationToken);

        if (!redacted.IsSuccess)
        {
            if (redacted.Error.Code == GuardErrorCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                return redacted.Error;
            }

            // No verdict while localizing: the policy's fail mode decides for the whole choice.
            if (policy.OnError == FailMode.Open)
            {
                return (choice, new ChoiceOutcome(choice.Index, ModerationSummary.From(decision, demo, reason: "fail-open: redaction had no verdict") with { FailedOpen = true, NoVerdict = true }, null), false);
            }

            var blockedBy = segmentNoVerdict ?? decision;
            return (Refuse(call, choice), new ChoiceOutcome(choice.Index, ModerationSummary.From(blockedBy, demo, ModerationAction.Block, "fail-closed: redaction had no verdict") with { NoVerdict = true }, policy.Refusal), true);
        }

        var value = redacted.Value;
        if (value.Outcome == RedactionOutcome.NotLocalized || segmentWorse)
        {
            var reason = segmentWorse ? "blocked: a segment was worse than redact" : "blocked: unsafe content could not be localized";
            return (Refuse(call, choice), new ChoiceOutcome(choice.Index, ModerationSummary.From(decision, demo, ModerationAction.Block, reason), policy.Refusal), false);
        }

        if (value.Outcome == RedactionOutcome.Unchanged)
        {
            return (choice, new ChoiceOutcome(choice.Index, ModerationSummary.From(decision, demo), null), false);
        }

        var codes = value.Replacements.SelectMany(r => r.Categories).Select(c => c.Code).Distinct(StringComparer.Ordinal).ToList();
        var summary = ModerationSummary.From(decision, demo, ModerationAction.Redact, "redacted: " + string.Join(',', codes));
        var replaced = choice.Message is not null
            ? choice with { Message = choice.Message with { Content = value.Text } }
            : choice with { Text = value.Text };
        return (replaced, new ChoiceOutcome(choice.Index, summary with { Categories = [.. summary.Categories.Union(codes, StringComparer.Ordinal)] }, null), false);
    }

    /// <summary>S7 as the policy names it, when the policy redacts it in output: then personal-data patterns are removed.</summary>
    private static RedactionCategory? PersonalDataCategory(ModerationPolicy policy)
    {
        var privacy = policy.EnabledCategories.FirstOrDefault(c => c.Code == "S7");
        return privacy is not null && privacy.Output.Action == ModerationAction.Redact ? new RedactionCategory(privacy.Code, privacy.Name) : null;
    }

    private static ChatChoice Refuse(ProxyCall call, ChatChoice choice) => choice with
    {
        FinishReason = FinishReasons.ContentFilter,
        Message = choice.Message is null ? null : new ChatResponseMessage { Content = call.Policy.Refusal },
        Text = choice.Message is null ? call.Policy.Refusal : null,
        // Upstream extras (e.g. logprobs) describe the withheld text.
        AdditionalProperties = JsonExtensionData.Empty,
    };
}
