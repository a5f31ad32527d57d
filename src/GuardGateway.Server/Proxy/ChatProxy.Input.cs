using GuardGateway.Core.Backends;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Proxy;

/// <summary>Input moderation: every text-bearing field of the request is judged before anything is forwarded.</summary>
internal sealed partial class ChatProxy
{
    private Result<ProxyInput> BuildInput(ChatCompletionRequest request)
    {
        if (request.Endpoint == ChatEndpoint.ChatCompletions)
        {
            if (request.Messages.Count == 0)
            {
                return GuardError.Invalid("'messages' must be a non-empty array.");
            }

            return new ProxyInput(GuardConversation.Project(request.Messages), []);
        }

        var prompt = request.Prompt;
        if (prompt is null)
        {
            return GuardError.Invalid("'prompt' is required.");
        }

        var count = prompt.Texts.Count + prompt.TokenIds.Count;
        if (count == 0 || count > options.Value.MaxPrompts)
        {
            return GuardError.Invalid($"'prompt' must hold 1 to {options.Value.MaxPrompts} prompts.");
        }

        var texts = new List<string>(prompt.Texts);
        foreach (var ids in prompt.TokenIds)
        {
            var decoded = prompts.Decode(ids);
            if (!decoded.IsSuccess)
            {
                return decoded.Error;
            }

            texts.Add(decoded.Value);
        }

        return new ProxyInput([], texts);
    }

    /// <summary>
    /// Judges every turn, not only the newest: the client writes the whole history (including "assistant" turns), so
    /// a fabricated earlier turn must not smuggle text past the guard. Client turns projected to <c>User</c> are
    /// judged as input; client-supplied assistant turns as output (<c>Agent</c>) in their context. All judgements run
    /// at once (the engine batches them); the most severe wins, the newest on ties.
    /// </summary>
    private async Task<Result<ModerationDecision>> ModerateInputAsync(ProxyInput input, ProxyCall call, CancellationToken cancellationToken)
    {
        var jobs = new List<Task<Result<ModerationDecision>>>();
        if (input.Conversation.Count > 0)
        {
            for (var i = 0; i < input.Conversation.Count; i++)
            {
                var slice = input.Conversation.Take(i + 1).ToList();
                var direction = input.Conversation[i].Role == ChatRole.User ? ModerationDirection.Input : ModerationDirection.Output;
                jobs.Add(moderator.ModerateAsync(slice, call.Policy, direction, call.RequestId, cancellationToken));
            }
        }
        else
        {
            jobs.AddRange(input.Prompts.Select(p => moderator.ModerateAsync(GuardConversation.FromPrompt(p), call.Policy, ModerationDirection.Input, call.RequestId, cancellationToken)));
        }

        var results = await Task.WhenAll(jobs);
        ModerationDecision? worst = null;
        var failedOpen = false;
        foreach (var result in results)
        {
            if (!result.IsSuccess)
            {
                return result.Error;
            }

            failedOpen |= result.Value.FailedOpen;
            if (worst is null || Severe(result.Value.Action) >= Severe(worst.Action))
            {
                worst = result.Value;
            }
        }

        // The reported decision is an input decision even when a client-supplied assistant turn decided it.
        return worst! with { Direction = ModerationDirection.Input, FailedOpen = worst!.FailedOpen || (failedOpen && worst.Action < ModerationAction.Block) };
    }
}
