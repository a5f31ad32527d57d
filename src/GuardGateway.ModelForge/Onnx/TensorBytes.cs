using System.Runtime.InteropServices;

namespace GuardGateway.ModelForge.Onnx;

/// <summary>Little-endian byte images of tensor data, as ONNX <c>raw_data</c> and external data store them.</summary>
internal static class TensorBytes
{
    public static byte[] Of(ReadOnlySpan<float> values)
    {
        EnsureLittleEndian();
        return MemoryMarshal.AsBytes(values).ToArray();
    }

    public static byte[] Of(ReadOnlySpan<long> values)
    {
        EnsureLittleEndian();
        return MemoryMarshal.AsBytes(values).ToArray();
    }

    public static byte[] Of(ReadOnlySpan<bool> values)
    {
        var bytes = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        }

        return bytes;
    }

    /// <summary>IEEE half precision, round to nearest even (what <see cref="Half"/> conversion does).</summary>
    public static byte[] AsFloat16(ReadOnlySpan<float> values)
    {
        EnsureLittleEndian();
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    private static void EnsureLittleEndian()
    {
        // ONNX raw data is little-endian; reinterpreting memory is only right on such hosts.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The model forge writes tensors on little-endian hosts only.");
        }
    }
}
