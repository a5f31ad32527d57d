using GuardGateway.Core.Backends;

namespace GuardGateway.Core.Streaming;

/// <summary>Building the chunks sent to the client from verified text.</summary>
public sealed partial class StreamModerationSession
{
    /// <summary>
    /// The chunk releasing newly verified text; when <paramref name="completing"/>, also the upstream's finish
    /// reasons (deferred to the clean end so an upstream failure after a choice finished never shows a clean
    /// finish) and the usage. Null when there is nothing to send.
    /// </summary>
    private ModeratedChunk? BuildRelease(bool completing)
    {
        var usage = completing ? _usage : null;
        List<ChatChunkChoice> choices = [];
        foreach (var buffer in _choices.Values)
        {
            var choice = ReleaseChoice(buffer, completing);
            if (choice is not null)
            {
                choices.Add(choice);
            }
        }

        if (choices.Count == 0 && usage is null)
        {
            return null;
        }

        return new ModeratedChunk(NewChunk(choices) with { Usage = usage });
    }

    private ChatChunkChoice? ReleaseChoice(ChoiceBuffer buffer, bool completing)
    {
        var final = buffer.FinalPassed;
        var contentEnd = ReleaseBoundary.Find(buffer.Content, buffer.ReleasedContent, buffer.VerifiedContent, final, _options.MaxHeldWordChars);
        var content = buffer.Content.ToString(buffer.ReleasedContent, contentEnd - buffer.ReleasedContent);
        buffer.ReleasedContent = contentEnd;

        List<ChatToolCallDelta> toolCalls = [];
        foreach (var call in buffer.ToolCalls)
        {
            var name = call.Name.ToString(call.ReleasedName, call.VerifiedName - call.ReleasedName);
            call.ReleasedName = call.VerifiedName;
            var argumentsEnd = ReleaseBoundary.Find(call.Arguments, call.ReleasedArguments, call.VerifiedArguments, final, _options.MaxHeldWordChars);
            var arguments = call.Arguments.ToString(call.ReleasedArguments, argumentsEnd - call.ReleasedArguments);
            call.ReleasedArguments = argumentsEnd;
            var header = call.Verified && !call.HeaderReleased;
            if (header || name.Length > 0 || arguments.Length > 0)
            {
                toolCalls.Add(new ChatToolCallDelta(
                    call.Index,
                    header ? call.Id : null,
                    header ? call.Type : null,
                    name.Length > 0 ? name : null,
                    arguments));
                call.HeaderReleased = true;
            }
        }

        string? finish = null;
        if (completing && buffer.UpstreamFinishReason is not null && !buffer.FinishReleased)
        {
            finish = buffer.UpstreamFinishReason;
            buffer.FinishReleased = true;
        }

        if (content.Length == 0 && toolCalls.Count == 0 && finish is null)
        {
            return null;
        }

        if (content.Length > 0 || toolCalls.Count > 0)
        {
            _firstReleaseAt ??= _time.GetTimestamp();
        }

        return NewChoice(buffer, content, toolCalls, finish);
    }

    /// <summary>
    /// The chunk finishing every choice with <c>content_filter</c> and no text, except choices the upstream
    /// finished whose whole text passed its final check (and was released): they keep the upstream's reason.
    /// </summary>
    private ModeratedChunk? BuildContentFilterChunk()
    {
        List<ChatChunkChoice> choices = [];
        foreach (var buffer in _choices.Values)
        {
            if (!buffer.FinishReleased)
            {
                buffer.FinishReleased = true;
                var reason = buffer.FinalPassed && buffer.Released == buffer.Received && buffer.UpstreamFinishReason is not null
                    ? buffer.UpstreamFinishReason
                    : FinishReasons.ContentFilter;
                choices.Add(NewChoice(buffer, string.Empty, [], reason));
            }
        }

        return choices.Count == 0 ? null : new ModeratedChunk(NewChunk(choices)) { FinishesBlockedStream = true };
    }

    private ChatChunkChoice NewChoice(ChoiceBuffer buffer, string content, IReadOnlyList<ChatToolCallDelta> toolCalls, string? finish)
    {
        if (_header?.Endpoint == ChatEndpoint.Completions)
        {
            return new ChatChunkChoice { Index = buffer.Index, Text = content, FinishReason = finish };
        }

        var role = buffer.RoleReleased ? (ChatMessageRole?)null : ChatMessageRole.Assistant;
        buffer.RoleReleased = true;
        return new ChatChunkChoice
        {
            Index = buffer.Index,
            Delta = new ChatDelta { Role = role, Content = content.Length > 0 ? content : null, ToolCalls = toolCalls },
            FinishReason = finish,
        };
    }

    private ChatCompletionChunk NewChunk(IReadOnlyList<ChatChunkChoice> choices) => new()
    {
        Endpoint = _header?.Endpoint ?? ChatEndpoint.ChatCompletions,
        Id = _header?.Id ?? string.Empty,
        Model = _header?.Model ?? string.Empty,
        Created = _header?.Created ?? 0,
        AdditionalProperties = _header?.AdditionalProperties ?? JsonExtensionData.Empty,
        Choices = choices,
    };
}
