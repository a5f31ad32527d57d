using System.Buffers.Binary;
using Google.Protobuf;
using Google.Protobuf.Collections;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Backends.KServe;

/// <summary>
/// KServe v2 tensor encoding for the types a text model needs. BYTES tensors travel either as <c>bytes_contents</c>
/// (one entry per element) or as raw bytes, where each element is a 4-byte little-endian length followed by that
/// many bytes. Decoding checks every length against the buffer and the element count against the shape, so a
/// hostile or broken server gets a protocol error, never an out-of-range read or a huge allocation.
/// </summary>
internal static class KServeTensorCodec
{
    public const string BytesType = "BYTES";

    /// <summary>Encodes BYTES elements in the raw layout.</summary>
    public static ByteString EncodeRawBytes(IReadOnlyList<ReadOnlyMemory<byte>> elements)
    {
        var total = 0L;
        foreach (var element in elements)
        {
            total += 4 + element.Length;
        }

        var buffer = new byte[checked((int)total)];
        var offset = 0;
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)element.Length);
            element.Span.CopyTo(buffer.AsSpan(offset + 4));
            offset += 4 + element.Length;
        }

        return UnsafeByteOperations.UnsafeWrap(buffer);
    }

    /// <summary>Decodes raw BYTES elements; null and an error when the layout does not match exactly.</summary>
    public static List<ReadOnlyMemory<byte>>? DecodeRawBytes(ReadOnlyMemory<byte> raw, long expectedElements, out string? error)
    {
        // Clamped both ways: a negative count (never produced by ElementCount, found by the T16 fuzzer) must be a
        // layout error like any other mismatch, not an ArgumentOutOfRangeException from the list.
        var elements = new List<ReadOnlyMemory<byte>>((int)Math.Clamp(expectedElements, 0, 1024));
        var offset = 0;
        while (offset < raw.Length)
        {
            if (raw.Length - offset < 4)
            {
                error = "a raw BYTES element length is cut off";
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(raw.Span[offset..]);
            offset += 4;
            if (length > (uint)(raw.Length - offset))
            {
                error = "a raw BYTES element runs past the end of its tensor";
                return null;
            }

            if (elements.Count == expectedElements)
            {
                error = "a raw BYTES tensor has more elements than its shape";
                return null;
            }

            elements.Add(raw.Slice(offset, (int)length));
            offset += (int)length;
        }

        if (elements.Count != expectedElements)
        {
            error = "a raw BYTES tensor has fewer elements than its shape";
            return null;
        }

        error = null;
        return elements;
    }

    /// <summary>The element count of a shape; null when a dimension is negative or the product overflows.</summary>
    public static long? ElementCount(RepeatedField<long> shape)
    {
        var count = 1L;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                return null;
            }

            try
            {
                count = checked(count * dimension);
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return count;
    }

    /// <summary>The elements of the BYTES output <paramref name="name"/>, from whichever encoding the server used.</summary>
    public static List<ReadOnlyMemory<byte>>? ReadBytesOutput(ModelInferResponse response, string name, out string? error)
    {
        var index = -1;
        for (var i = 0; i < response.Outputs.Count; i++)
        {
            if (response.Outputs[i].Name == name)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            error = $"the response has no output named '{name}'";
            return null;
        }

        var output = response.Outputs[index];
        if (output.Datatype != BytesType)
        {
            error = $"output '{name}' is {output.Datatype}, not BYTES";
            return null;
        }

        if (ElementCount(output.Shape) is not { } expected)
        {
            error = $"output '{name}' has an invalid shape";
            return null;
        }

        if (response.RawOutputContents.Count > 0)
        {
            if (response.RawOutputContents.Count != response.Outputs.Count)
            {
                error = "raw_output_contents does not have one entry per output";
                return null;
            }

            return DecodeRawBytes(response.RawOutputContents[index].Memory, expected, out error);
        }

        var contents = output.Contents?.BytesContents;
        if (contents is null || contents.Count != expected)
        {
            error = $"output '{name}' bytes_contents does not match its shape";
            return null;
        }

        error = null;
        return contents.Select(b => b.Memory).ToList();
    }
}
