using System.Text;

namespace GuardGateway.Inference.Models;

/// <summary>
/// Lists the external data files an ONNX graph refers to (<c>TensorProto.external_data</c> entries keyed
/// <c>location</c>), reading the protobuf as a stream and seeking over everything else, so a 2 GB graph
/// with inline weights is never held in memory. Walks initializers, sparse initializers, node attributes
/// (tensors and subgraphs), functions and training info.
/// </summary>
internal static class OnnxExternalDataScanner
{
    private const int MaxDepth = 64;

    private enum Kind
    {
        None,
        Model,
        Graph,
        Node,
        Attribute,
        Tensor,
        SparseTensor,
        Function,
        TrainingInfo,
    }

    /// <summary>The distinct <c>location</c> values, as written in the graph (relative to its folder).</summary>
    /// <exception cref="InvalidDataException">When the file is not a readable protobuf message.</exception>
    public static IReadOnlyList<string> ListLocations(string graphPath, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(graphPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
        var locations = new SortedSet<string>(StringComparer.Ordinal);
        new Walker(stream, locations, cancellationToken).Message(stream.Length, Kind.Model, 0);
        return [.. locations];
    }

    // Field numbers from onnx.proto, by message.
    private static Kind Child(Kind parent, ulong field) => (parent, field) switch
    {
        (Kind.Model, 7) => Kind.Graph,
        (Kind.Model, 20) => Kind.TrainingInfo,
        (Kind.Model, 25) => Kind.Function,
        (Kind.Graph, 1) => Kind.Node,
        (Kind.Graph, 5) => Kind.Tensor,
        (Kind.Graph, 15) => Kind.SparseTensor,
        (Kind.Node, 5) => Kind.Attribute,
        (Kind.Attribute, 5 or 10) => Kind.Tensor,
        (Kind.Attribute, 6 or 11) => Kind.Graph,
        (Kind.Attribute, 22 or 23) => Kind.SparseTensor,
        (Kind.SparseTensor, 1 or 2) => Kind.Tensor,
        (Kind.Function, 7) => Kind.Node,
        (Kind.TrainingInfo, 1 or 2) => Kind.Graph,
        _ => Kind.None,
    };

    private sealed class Walker(Stream stream, SortedSet<string> locations, CancellationToken cancellationToken)
    {
        private const ulong TensorExternalData = 13;

        public void Message(long end, Kind kind, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new InvalidDataException("The graph nests deeper than " + MaxDepth + " messages.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            while (stream.Position < end)
            {
                var key = ReadVarint();
                var field = key >> 3;
                switch (key & 7)
                {
                    case 0:
                        ReadVarint();
                        break;
                    case 1:
                        SkipTo(stream.Position + 8, end);
                        break;
                    case 5:
                        SkipTo(stream.Position + 4, end);
                        break;
                    case 2:
                        var length = ReadVarint();
                        if (length > (ulong)(end - stream.Position))
                        {
                            throw new InvalidDataException("A field runs past the end of its message.");
                        }

                        var fieldEnd = stream.Position + (long)length;
                        if (kind == Kind.Tensor && field == TensorExternalData)
                        {
                            ReadLocation(fieldEnd);
                        }
                        else if (Child(kind, field) is var child and not Kind.None)
                        {
                            Message(fieldEnd, child, depth + 1);
                        }

                        stream.Position = fieldEnd;
                        break;
                    default:
                        throw new InvalidDataException("Unsupported protobuf wire type " + (key & 7) + ".");
                }
            }

            if (stream.Position != end)
            {
                throw new InvalidDataException("A message runs past its declared length.");
            }
        }

        // StringStringEntryProto: key = 1, value = 2.
        private void ReadLocation(long end)
        {
            string? entryKey = null;
            string? entryValue = null;
            while (stream.Position < end)
            {
                var key = ReadVarint();
                if ((key & 7) != 2)
                {
                    throw new InvalidDataException("Unexpected field in an external data entry.");
                }

                var length = ReadVarint();
                if (length > (ulong)(end - stream.Position) || length > 4096)
                {
                    throw new InvalidDataException("An external data entry is too long.");
                }

                var bytes = new byte[(int)length];
                stream.ReadExactly(bytes);
                var text = Encoding.UTF8.GetString(bytes);
                if (key >> 3 == 1)
                {
                    entryKey = text;
                }
                else if (key >> 3 == 2)
                {
                    entryValue = text;
                }
            }

            if (entryKey == "location" && !string.IsNullOrEmpty(entryValue))
            {
                locations.Add(entryValue);
            }
        }

        private void SkipTo(long position, long end)
        {
            if (position > end)
            {
                throw new InvalidDataException("A fixed-width field runs past the end of its message.");
            }

            stream.Position = position;
        }

        private ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = stream.ReadByte();
                if (b < 0)
                {
                    throw new InvalidDataException("The graph ends inside a field.");
                }

                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw new InvalidDataException("A varint is longer than 10 bytes.");
        }
    }
}
