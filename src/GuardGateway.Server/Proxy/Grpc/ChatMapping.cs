using System.Text.Json;
using GuardGateway.Contracts.V1;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Server.Mapping;
using ChatChoiceDto = GuardGateway.Contracts.V1.ChatChoice;
using ToolCallDto = GuardGateway.Contracts.V1.ToolCall;
using ChatUsageDto = GuardGateway.Contracts.V1.ChatUsage;

namespace GuardGateway.Server.Proxy.Grpc;

/// <summary>gRPC chat messages &lt;-&gt; the backend domain types (proto mapping lives only in the server).</summary>
internal static class ChatMapping
{
    /// <summary>The backend request, or an invalid-request error naming the field.</summary>
    public static (ChatCompletionRequest? Request, ProxyError? Error) ToRequest(ChatRequest request, int maxMessages)
    {
        if (string.IsNullOrEmpty(request.Model))
        {
            return (null, ProxyError.Invalid("'model' is required."));
        }

        if (request.Messages.Count == 0 || request.Messages.Count > maxMessages)
        {
            return (null, ProxyError.Invalid($"'messages' must hold 1 to {maxMessages} messages."));
        }

        if (request.N < 0)
        {
            return (null, ProxyError.Invalid("'n' must not be negative."));
        }

        var messages = new List<ChatRequestMessage>(request.Messages.Count);
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            if (!ChatMessageRoles.TryParse(message.Role, out var role))
            {
                return (null, ProxyError.Invalid($"'messages[{i}].role' must be system, developer, user, assistant or tool."));
            }

            messages.Add(new ChatRequestMessage
            {
                Role = role,
                Content = message.Content.Length == 0 && message.ToolCalls.Count > 0 ? null : ChatContent.FromText(message.Content),
                Name = message.Name.Length == 0 ? null : message.Name,
                ToolCallId = message.ToolCallId.Length == 0 ? null : message.ToolCallId,
                ToolCalls = [.. message.ToolCalls.Select(c => new ChatToolCall(c.Id, c.Type.Length == 0 ? "function" : c.Type, c.FunctionName, c.Arguments))],
            });
        }

        var extras = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (request.Stop.Count > 0)
        {
            extras["stop"] = JsonSerializer.SerializeToElement(request.Stop.ToArray());
        }

        if (request.HasSeed)
        {
            extras["seed"] = JsonSerializer.SerializeToElement(request.Seed);
        }

        return (new ChatCompletionRequest
        {
            Model = request.Model,
            Messages = messages,
            ChoiceCount = request.N == 0 ? null : request.N,
            MaxTokens = request.HasMaxTokens ? request.MaxTokens : null,
            Temperature = request.HasTemperature ? request.Temperature : null,
            TopP = request.HasTopP ? request.TopP : null,
            AdditionalProperties = extras,
        }, null);
    }

    /// <summary>The unary response.</summary>
    public static ChatResponse ToResponse(ProxyAnswer answer, string requestId)
    {
        var completion = answer.Completion;
        var response = new ChatResponse
        {
            Id = completion.Id,
            Model = completion.Model,
            Created = completion.Created,
            Moderation = ToWire(answer.Input),
            RequestId = requestId,
        };
        if (completion.Usage is { } usage)
        {
            response.Usage = ToWire(usage);
        }

        for (var i = 0; i < completion.Choices.Count; i++)
        {
            var choice = completion.Choices[i];
            var outcome = answer.Choices[i];
            var dto = new ChatChoiceDto
            {
                Index = choice.Index,
                Content = choice.Message?.Content ?? choice.Text ?? "",
                FinishReason = choice.FinishReason ?? "",
                Refusal = outcome.Refusal ?? "",
                Moderation = ToWire(outcome.Moderation),
            };
            dto.ToolCalls.AddRange((choice.Message?.ToolCalls ?? []).Select((c, n) => ToWire(c, n)));
            response.Choices.Add(dto);
        }

        return response;
    }

    /// <summary>One stream chunk.</summary>
    public static ChatChunk ToChunk(ChatCompletionChunk chunk, IReadOnlyList<ChoiceOutcome> outcomes, string requestId)
    {
        var dto = new ChatChunk { Id = chunk.Id, Model = chunk.Model, Created = chunk.Created, RequestId = requestId };
        if (chunk.Usage is { } usage)
        {
            dto.Usage = ToWire(usage);
        }

        foreach (var choice in chunk.Choices)
        {
            var delta = new ChatChoiceDelta
            {
                Index = choice.Index,
                Role = choice.Delta?.Role is { } role ? role.ToWireName() : "",
                Content = choice.Delta?.Content ?? choice.Text ?? "",
                FinishReason = choice.FinishReason ?? "",
            };
            delta.ToolCalls.AddRange((choice.Delta?.ToolCalls ?? []).Select(c => new ToolCallDto
            {
                Index = c.Index,
                Id = c.Id ?? "",
                Type = c.Type ?? "",
                FunctionName = c.FunctionName ?? "",
                Arguments = c.ArgumentsFragment ?? "",
            }));
            if (choice.FinishReason is not null && outcomes.FirstOrDefault(o => o.Index == choice.Index) is { } outcome)
            {
                delta.Moderation = ToWire(outcome.Moderation);
                delta.Refusal = outcome.Refusal ?? "";
            }

            dto.Choices.Add(delta);
        }

        return dto;
    }

    /// <summary>A moderation summary on the wire.</summary>
    public static ChatModeration ToWire(ModerationSummary summary)
    {
        var dto = new ChatModeration
        {
            Decision = DecisionMapping.ToWire(summary.Action),
            Direction = summary.Direction == ModerationDirection.Input ? Direction.Input : Direction.Output,
            PolicyId = summary.PolicyId,
            PolicyVersion = summary.PolicyVersion,
            Model = summary.Model,
            DemoModel = summary.DemoModel,
            NoVerdict = summary.NoVerdict,
            FailedOpen = summary.FailedOpen,
            Reason = summary.Reason,
        };
        dto.Categories.AddRange(summary.Categories);
        return dto;
    }

    private static ToolCallDto ToWire(ChatToolCall call, int index) =>
        new() { Index = index, Id = call.Id, Type = call.Type, FunctionName = call.FunctionName, Arguments = call.Arguments };

    private static ChatUsageDto ToWire(Core.Backends.ChatUsage usage) =>
        new() { PromptTokens = usage.PromptTokens, CompletionTokens = usage.CompletionTokens, TotalTokens = usage.TotalTokens };
}
