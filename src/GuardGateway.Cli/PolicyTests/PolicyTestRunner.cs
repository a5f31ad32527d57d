using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;

namespace GuardGateway.Cli.PolicyTests;

/// <summary>Runs policy test cases through the real moderation pipeline (guard model + policy evaluation).</summary>
internal sealed class PolicyTestRunner(ModerationPipeline pipeline, IPolicyStore policies)
{
    public async Task<PolicyCaseOutcome> RunAsync(PolicyTestCase testCase, int number, CancellationToken cancellationToken)
    {
        var name = testCase.Name ?? $"case {number}";
        var conversation = BuildConversation(testCase);
        if (conversation is null)
        {
            return new(name, false, "roles must be 'user' or 'assistant' and every message needs content");
        }

        if (!ModerationActionNames.TryParse(testCase.Expect!.Decision, out var expected))
        {
            return new(name, false, $"expect.decision '{testCase.Expect.Decision}' is not one of {string.Join(", ", ModerationActionNames.All)}");
        }

        ModerationDirection direction;
        switch (testCase.Direction)
        {
            case null:
                direction = conversation[^1].Role == ChatRole.Assistant ? ModerationDirection.Output : ModerationDirection.Input;
                break;
            case "input":
                direction = ModerationDirection.Input;
                break;
            case "output":
                direction = ModerationDirection.Output;
                break;
            default:
                return new(name, false, $"direction '{testCase.Direction}' is not 'input' or 'output'");
        }

        var policy = policies.Current.Select(new PolicySelectionRequest(testCase.Policy));
        if (!policy.IsSuccess)
        {
            return new(name, false, policy.Error.Message);
        }

        var decided = await pipeline.ModerateAsync(conversation, policy.Value, direction, cancellationToken);
        if (!decided.IsSuccess)
        {
            return new(name, false, decided.Error.Message);
        }

        var decision = decided.Value;
        var reported = decision.Categories.Where(c => c.Reported).Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
        var got = $"{decision.Action.ToWireName()} [{string.Join(",", reported)}] (policy {decision.PolicyId}, P(unsafe)={decision.UnsafeProbability:0.###}, {decision.Reason})";
        var categoriesMatch = testCase.Expect.Categories is null
            || testCase.Expect.Categories.Order(StringComparer.Ordinal).SequenceEqual(reported, StringComparer.Ordinal);
        var passed = decision.Action == expected && categoriesMatch;
        var wanted = expected.ToWireName() + (testCase.Expect.Categories is null ? string.Empty : $" [{string.Join(",", testCase.Expect.Categories)}]");
        return new(name, passed, passed ? got : $"expected {wanted}, got {got}");
    }

    private static List<ChatMessage>? BuildConversation(PolicyTestCase testCase)
    {
        if (testCase.Text is not null)
        {
            return [new ChatMessage(ChatRole.User, testCase.Text)];
        }

        var messages = new List<ChatMessage>();
        foreach (var message in testCase.Messages)
        {
            if (message.Content is null || !ChatRoleNames.TryParse(message.Role, out var role))
            {
                return null;
            }

            messages.Add(new ChatMessage(role, message.Content));
        }

        return messages;
    }
}
