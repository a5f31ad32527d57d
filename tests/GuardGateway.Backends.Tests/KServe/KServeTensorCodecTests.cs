using System.Text;
using CsCheck;
using Google.Protobuf.Collections;
using GuardGateway.Backends.KServe;

namespace GuardGateway.Backends.Tests.KServe;

public sealed class KServeTensorCodecTests
{
    [Fact]
    public void EncodeRawBytes_TwoElements_LittleEndianLengthPrefixes()
    {
        var raw = KServeTensorCodec.EncodeRawBytes(["hi"u8.ToArray(), "é"u8.ToArray()]).ToByteArray();

        Assert.Equal(new byte[] { 2, 0, 0, 0, (byte)'h', (byte)'i', 2, 0, 0, 0, 0xC3, 0xA9 }, raw);
    }

    [Fact]
    public void DecodeRawBytes_AnyElements_RoundTrip()
    {
        Gen.String.Array[0, 5].Sample(texts =>
        {
            var encoded = KServeTensorCodec.EncodeRawBytes([.. texts.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t))]);

            var decoded = KServeTensorCodec.DecodeRawBytes(encoded.Memory, texts.Length, out var error);

            Assert.Null(error);
            Assert.Equal(texts, decoded!.Select(d => Encoding.UTF8.GetString(d.Span)));
        }, iter: 500);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void DecodeRawBytes_NegativeExpectedCount_ErrorNoThrow(long expected)
    {
        // Found by the T16 fuzzer: a negative count threw ArgumentOutOfRangeException from the list capacity.
        var decoded = KServeTensorCodec.DecodeRawBytes(new byte[] { 1, 0, 0, 0, (byte)'a' }, expected, out var error);

        Assert.Null(decoded);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 0 }, 1, "cut off")]
    [InlineData(new byte[] { 5, 0, 0, 0, 1, 2 }, 1, "past the end")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 1 }, 1, "past the end")]
    [InlineData(new byte[] { 1, 0, 0, 0, 9, 1, 0, 0, 0, 9 }, 1, "more elements")]
    [InlineData(new byte[] { 1, 0, 0, 0, 9 }, 2, "fewer elements")]
    public void DecodeRawBytes_MalformedLayout_ErrorNoThrow(byte[] raw, long expected, string reason)
    {
        var decoded = KServeTensorCodec.DecodeRawBytes(raw, expected, out var error);

        Assert.Null(decoded);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRawBytes_ArbitraryBytes_NeverThrowsAndNeverReadsPastTheBuffer()
    {
        Gen.Byte.Array[0, 40].Select(Gen.Long[0, 4]).Sample((bytes, expected) =>
        {
            var decoded = KServeTensorCodec.DecodeRawBytes(bytes, expected, out var error);

            Assert.True(decoded is null ^ error is null);
            if (decoded is not null)
            {
                Assert.Equal(expected, decoded.Count);
                Assert.Equal(bytes.Length, decoded.Sum(d => d.Length + 4));
            }
        }, iter: 2000);
    }

    [Theory]
    [InlineData(new long[] { 1, 1 }, 1L)]
    [InlineData(new long[] { }, 1L)]
    [InlineData(new long[] { 2, 0 }, 0L)]
    [InlineData(new long[] { -1, 1 }, null)]
    [InlineData(new long[] { long.MaxValue, 2 }, null)]
    public void ElementCount_Shapes_ProductOrNullWhenInvalid(long[] shape, long? expected)
    {
        var field = new RepeatedField<long>();
        field.Add(shape);

        Assert.Equal(expected, KServeTensorCodec.ElementCount(field));
    }
}
