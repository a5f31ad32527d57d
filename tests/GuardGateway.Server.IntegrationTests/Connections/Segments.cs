using System.Buffers;

namespace GuardGateway.Server.IntegrationTests.Connections;

/// <summary>Multi-segment <see cref="ReadOnlySequence{T}"/>s for tests of code that reads pipes.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>The bytes as one sequence cut at the given (ascending) positions; empty segments allowed.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, IReadOnlyList<int> cuts)
    {
        var first = new Segments(bytes.AsMemory(0, cuts.Count == 0 ? bytes.Length : cuts[0]), 0);
        var last = first;
        for (var i = 0; i < cuts.Count; i++)
        {
            var end = i + 1 < cuts.Count ? cuts[i + 1] : bytes.Length;
            var next = new Segments(bytes.AsMemory(cuts[i], end - cuts[i]), cuts[i]);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
