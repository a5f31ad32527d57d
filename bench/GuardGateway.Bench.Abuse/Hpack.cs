using System.Buffers;
using System.Text;

namespace GuardGateway.Bench.Abuse;

/// <summary>
/// The smallest HPACK encoder (RFC 7541): every field as "literal header field without indexing, new name" (first
/// byte 0x00) with raw (non-Huffman) strings, so no dynamic table state is shared with the server.
/// </summary>
internal static class Hpack
{
    /// <summary>A header block of the given fields.</summary>
    public static byte[] Block(params (string Name, string Value)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var (name, value) in fields)
        {
            Field(buffer, name, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The fields of a gRPC request to <paramref name="path"/> (no authorization: an anonymous client).</summary>
    public static byte[] GrpcRequest(string authority, string path) => Block(
        (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", authority),
        ("content-type", "application/grpc"), ("te", "trailers"));

    public static void Field(IBufferWriter<byte> buffer, string name, string value)
    {
        buffer.Write<byte>([0x00]);
        String(buffer, name);
        String(buffer, value);
    }

    /// <summary>The start of a literal whose value declares <paramref name="declaredLength"/> bytes: the rest trickles later.</summary>
    public static byte[] OpenValue(string name, int declaredLength)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write<byte>([0x00]);
        String(buffer, name);
        Integer(buffer, declaredLength, 7, 0x00);
        return buffer.WrittenSpan.ToArray();
    }

    private static void String(IBufferWriter<byte> buffer, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Integer(buffer, bytes.Length, 7, 0x00);
        buffer.Write(bytes);
    }

    /// <summary>An N-bit prefix integer (RFC 7541 §5.1).</summary>
    private static void Integer(IBufferWriter<byte> buffer, int value, int prefixBits, byte firstByteFlags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            buffer.Write<byte>([(byte)(firstByteFlags | value)]);
            return;
        }

        buffer.Write<byte>([(byte)(firstByteFlags | max)]);
        value -= max;
        while (value >= 128)
        {
            buffer.Write<byte>([(byte)((value % 128) + 128)]);
            value /= 128;
        }

        buffer.Write<byte>([(byte)value]);
    }
}
