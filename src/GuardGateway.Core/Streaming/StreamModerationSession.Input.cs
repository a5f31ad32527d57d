using GuardGateway.Core.Backends;

namespace GuardGateway.Core.Streaming;

/// <summary>Taking in upstream events: checking a step's events and buffering their deltas.</summary>
public sealed partial class StreamModerationSession
{
    private static void Validate(IReadOnlyList<ChatStreamEvent> upstreamEvents)
    {
        ArgumentNullException.ThrowIfNull(upstreamEvents);
        if (upstreamEvents.Count == 0)
        {
            throw new ArgumentException("No upstream event to process.", nameof(upstreamEvents));
        }

        for (var i = 0; i < upstreamEvents.Count; i++)
        {
            var known = upstreamEvents[i] switch
            {
                ChatStreamChunkEvent chunk => chunk.Chunk is not null,
                ChatStreamCompleted or ChatStreamFailed => i == upstreamEvents.Count - 1,
                _ => false,
            };
            if (!known)
            {
                throw new ArgumentException(
                    upstreamEvents[i] is null ? "A null upstream event." : $"Upstream event {upstreamEvents[i].GetType().Name} at {i} is unknown, or a terminal event before the last.",
                    nameof(upstreamEvents));
            }
        }
    }

    /// <summary>Buffers the chunks' deltas; false when the stream ended meanwhile (<see cref="Cancel"/>).</summary>
    private bool Append(IReadOnlyList<ChatStreamEvent> upstreamEvents)
    {
        // Buffers change only under the gate, so a concurrent Cancel() reads consistent figures.
        lock (_gate)
        {
            if (_end is not null)
            {
                return false;
            }

            foreach (var chunk in upstreamEvents.OfType<ChatStreamChunkEvent>().Select(e => e.Chunk))
            {
                _header ??= chunk;
                if (chunk.Usage is not null)
                {
                    _usage = chunk.Usage;
                }

                foreach (var choice in chunk.Choices)
                {
                    if (!_choices.TryGetValue(choice.Index, out var buffer))
                    {
                        buffer = new ChoiceBuffer(choice.Index);
                        _choices.Add(choice.Index, buffer);
                    }

                    if (buffer.Append(choice))
                    {
                        _firstTextAt ??= _time.GetTimestamp();
                    }
                }
            }

            TrackHeld();
            return true;
        }
    }
}
