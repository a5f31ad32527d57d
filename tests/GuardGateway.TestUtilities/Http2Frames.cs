using System.Buffers;
using System.Buffers.Binary;

namespace GuardGateway.TestUtilities;

/// <summary>HTTP/2 frames (RFC 9113 §4.1, §6) written into a buffer: 9-byte header, then the payload.</summary>
public static class Http2Frames
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;
    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4;
    public const uint Cancel = 0x8, RefusedStream = 0x7, EnhanceYourCalm = 0xb;

    public static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static void Frame(IBufferWriter<byte> buffer, byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var header = buffer.GetSpan(9 + payload.Length);
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header[5..], streamId & 0x7fffffff);
        payload.CopyTo(header[9..]);
        buffer.Advance(9 + payload.Length);
    }

    public static void EmptySettings(IBufferWriter<byte> buffer) => Frame(buffer, Settings, 0, 0, []);

    public static void SettingsAck(IBufferWriter<byte> buffer) => Frame(buffer, Settings, Ack, 0, []);

    public static void PingFrame(IBufferWriter<byte> buffer, long payload, bool ack = false)
    {
        Span<byte> data = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(data, payload);
        Frame(buffer, Ping, ack ? Ack : (byte)0, 0, data);
    }

    public static void Reset(IBufferWriter<byte> buffer, int streamId, uint code)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, code);
        Frame(buffer, RstStream, 0, streamId, data);
    }

    /// <summary>A gRPC message in a DATA frame: the 5-byte length prefix, then the protobuf bytes.</summary>
    public static void GrpcMessage(IBufferWriter<byte> buffer, int streamId, ReadOnlySpan<byte> message, bool endStream)
    {
        var payload = new byte[5 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), message.Length);
        message.CopyTo(payload.AsSpan(5));
        Frame(buffer, Data, endStream ? EndStream : (byte)0, streamId, payload);
    }
}
