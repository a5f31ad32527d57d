using GuardGateway.Contracts.V1;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Server.Errors;
using Google.Protobuf.Collections;
using Grpc.Core;

namespace GuardGateway.Server.Mapping;

/// <summary>Wire conversation -> domain conversation and direction. Invalid input is <c>INVALID_ARGUMENT</c> with a field violation.</summary>
internal static class ConversationMapping
{
    /// <summary>Longest request id accepted.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>The domain messages; throws <c>INVALID_ARGUMENT</c> naming the field.</summary>
    public static IReadOnlyList<ChatMessage> ToMessages(RepeatedField<Message> messages, int maxMessages, string fieldPrefix = "messages")
    {
        if (messages.Count == 0)
        {
            throw Invalid(fieldPrefix, "At least one message is required.");
        }

        if (messages.Count > maxMessages)
        {
            throw Invalid(fieldPrefix, $"At most {maxMessages} messages are accepted; got {messages.Count}.");
        }

        var result = new ChatMessage[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            if (!ChatRoleNames.TryParse(messages[i].Role, out var role))
            {
                // Echo nothing the caller sent: the role could be anything.
                throw Invalid($"{fieldPrefix}[{i}].role", "Role must be 'user' or 'assistant'.");
            }

            result[i] = new ChatMessage(role, messages[i].Content);
        }

        return result;
    }

    /// <summary>The explicit direction, or the one implied by the last message's role.</summary>
    public static ModerationDirection ToDirection(Direction direction, IReadOnlyList<ChatMessage> messages) => direction switch
    {
        Direction.Input => ModerationDirection.Input,
        Direction.Output => ModerationDirection.Output,
        Direction.Unspecified => messages[^1].Role == ChatRole.User ? ModerationDirection.Input : ModerationDirection.Output,
        _ => throw Invalid("direction", "Unknown direction."),
    };

    /// <summary>The wire direction.</summary>
    public static Direction ToWire(ModerationDirection direction) =>
        direction == ModerationDirection.Input ? Direction.Input : Direction.Output;

    /// <summary>The caller's request id when valid, or a new one; throws <c>INVALID_ARGUMENT</c> for an unusable id.</summary>
    public static string ToRequestId(string requestId)
    {
        if (requestId.Length == 0)
        {
            return Guid.NewGuid().ToString("N");
        }

        // Request ids end up in logs: printable ASCII only, bounded.
        if (requestId.Length > MaxRequestIdLength || requestId.Any(c => c is < '!' or > '~'))
        {
            throw Invalid("request_id", $"Request ids are 1 to {MaxRequestIdLength} printable ASCII characters without spaces.");
        }

        return requestId;
    }

    private static RpcException Invalid(string field, string message) =>
        GrpcErrors.Create(StatusCode.InvalidArgument, ErrorReasons.InvalidRequest, message, violations: [GrpcErrors.Violation(field, message)]);
}
