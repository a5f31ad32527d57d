using GuardGateway.Backends.Sse;

namespace GuardGateway.Fuzzing.Targets.Targets;

/// <summary>
/// The incremental <see cref="SseParser"/>. Declared: events, or an error string. Invariants: feeding the same
/// bytes whole, byte by byte, or in chunks split where the input says gives the same events, error and pending
/// state (a network split must not change what the gateway sees); data never holds a CR; limits hold.
/// </summary>
internal sealed class SseTarget : IFuzzTarget
{
    private const int MaxLine = 64;
    private const int MaxEvent = 256;

    public string Name => "sse";

    public IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. OpenAiJsonTarget.Tokens("data:", "data: ", "event:", "id:", "retry:", ":", "[DONE]", "{\"choices\":[]}", "data"),
        [(byte)'\r'], [(byte)'\n'], [(byte)'\r', (byte)'\n'], [(byte)'\n', (byte)'\n'], [(byte)'\r', (byte)'\r'], [0xEF, 0xBB, 0xBF], [0],
    ];

    public void Execute(ReadOnlySpan<byte> input)
    {
        var selector = FuzzInput.Selector(input);
        var stream = FuzzInput.Rest(input);
        var whole = Run(stream, [stream.Length]);
        var single = new int[stream.Length];
        Array.Fill(single, 1);
        Compare(whole, Run(stream, single), "byte by byte");
        Compare(whole, Run(stream, ChunkSizes(stream.Length, selector)), "in chunks");

        foreach (var e in whole.Events)
        {
            Check.That(!e.Data.Contains((byte)'\r'), "event data holds a CR");
            Check.That(e.Data.Length < MaxEvent, "event data exceeds the event limit");
        }
    }

    private static int[] ChunkSizes(int length, byte selector)
    {
        var sizes = new List<int>();
        var state = (uint)selector * 2654435761u + 1;
        for (var done = 0; done < length;)
        {
            state = (state * 1103515245u) + 12345u;
            var size = Math.Min(length - done, 1 + (int)((state >> 16) % 9));
            sizes.Add(size);
            done += size;
        }

        return [.. sizes];
    }

    private static Outcome Run(ReadOnlySpan<byte> stream, int[] sizes)
    {
        using var parser = new SseParser(MaxLine, MaxEvent);
        var events = new List<SseEvent>();
        string? error = null;
        var at = 0;
        foreach (var size in sizes)
        {
            error = parser.Feed(stream.Slice(at, size), events);
            at += size;
            if (error is not null)
            {
                break;
            }
        }

        // An empty final chunk is legal (a read returning 0 bytes) and must change nothing.
        error ??= parser.Feed([], events);
        return new Outcome(events, error, error is null && parser.HasPendingInput);
    }

    private static void Compare(Outcome expected, Outcome actual, string how)
    {
        Check.That(expected.Error == actual.Error, $"fed {how}, the error differs");
        Check.That(expected.Pending == actual.Pending, $"fed {how}, the pending state differs");
        Check.That(expected.Events.Count == actual.Events.Count, $"fed {how}, the event count differs");
        for (var i = 0; i < expected.Events.Count; i++)
        {
            var (a, b) = (expected.Events[i], actual.Events[i]);
            Check.That(a.EventType == b.EventType && a.LastEventId == b.LastEventId && a.Data.AsSpan().SequenceEqual(b.Data), $"fed {how}, event {i} differs");
        }
    }

    private sealed record Outcome(List<SseEvent> Events, string? Error, bool Pending);
}
