using System.Text;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// Just enough of the protobuf wire format to walk and re-emit an ONNX <c>ModelProto</c> without generated
/// classes: fields are kept as raw slices so everything the editor does not touch is copied byte for byte.
/// </summary>
internal static class ProtoWire
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    /// <summary>One field: its number, wire type, the whole encoded field, and the payload of a LEN field.</summary>
    public readonly record struct Field(int Number, int WireType, ReadOnlyMemory<byte> Encoded, ReadOnlyMemory<byte> Payload, ulong Scalar);

    /// <summary>Splits a message into its fields; null when the bytes are not a well-formed message.</summary>
    public static List<Field>? ReadFields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var span = message.Span;
        var pos = 0;
        while (pos < span.Length)
        {
            var start = pos;
            if (!TryReadVarint(span, ref pos, out var tag))
            {
                return null;
            }

            var number = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            ReadOnlyMemory<byte> payload = default;
            ulong scalar = 0;
            switch (wire)
            {
                case Varint:
                    if (!TryReadVarint(span, ref pos, out scalar))
                    {
                        return null;
                    }

                    break;
                case Fixed64:
                    pos += 8;
                    break;
                case Fixed32:
                    pos += 4;
                    break;
                case LengthDelimited:
                    if (!TryReadVarint(span, ref pos, out var length) || length > (ulong)(span.Length - pos))
                    {
                        return null;
                    }

                    payload = message.Slice(pos, (int)length);
                    pos += (int)length;
                    break;
                default:
                    return null;
            }

            if (pos > span.Length || number == 0)
            {
                return null;
            }

            fields.Add(new Field(number, wire, message[start..pos], payload, scalar));
        }

        return fields;
    }

    public static string AsString(Field field) => Encoding.UTF8.GetString(field.Payload.Span);

    public static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }

    public static void WriteBytes(Stream stream, int number, ReadOnlySpan<byte> payload)
    {
        WriteVarint(stream, ((ulong)number << 3) | LengthDelimited);
        WriteVarint(stream, (ulong)payload.Length);
        stream.Write(payload);
    }

    public static void WriteString(Stream stream, int number, string value) => WriteBytes(stream, number, Encoding.UTF8.GetBytes(value));

    public static void WriteScalar(Stream stream, int number, ulong value)
    {
        WriteVarint(stream, (ulong)number << 3);
        WriteVarint(stream, value);
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> span, ref int pos, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= span.Length)
            {
                return false;
            }

            var b = span[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
