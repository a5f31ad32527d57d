using System.Buffers.Binary;
using Google.Protobuf;
using GuardGateway.Backends.KServe;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Fuzzing.Targets.Targets;

/// <summary>
/// <see cref="KServeTensorCodec"/>: raw BYTES decoding, and a whole <c>ModelInferResponse</c> (wire bytes, or
/// built from the input) read through <see cref="KServeTensorCodec.ReadBytesOutput"/>. Declared: elements, or
/// null with an error; <see cref="InvalidProtocolBufferException"/> from the protobuf parser (gRPC turns it into a
/// failed call). Invariants: exactly the shape's element count; raw elements re-encode to the exact input.
/// </summary>
internal sealed class KServeTensorTarget : IFuzzTarget
{
    private const string OutputName = "text_output";

    public string Name => "kserve-tensor";

    public IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0, 0, 0, 0], [1, 0, 0, 0], [4, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0x80],
        .. OpenAiJsonTarget.Tokens(OutputName, "BYTES", "FP32", "hello"),
    ];

    public void Execute(ReadOnlySpan<byte> input)
    {
        var selector = FuzzInput.Selector(input);
        var rest = FuzzInput.Rest(input);
        switch (selector % 3)
        {
            case 0:
                DecodeRaw(rest);
                break;
            case 1:
                ModelInferResponse response;
                try
                {
                    response = ModelInferResponse.Parser.ParseFrom(rest.ToArray());
                }
                catch (InvalidProtocolBufferException)
                {
                    return;
                }

                ReadOutput(response);
                break;
            default:
                ReadOutput(Build(selector, rest));
                break;
        }
    }

    private static void DecodeRaw(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 2)
        {
            return;
        }

        // A small count mostly (matches are likely), sometimes a hostile huge one.
        long expected = rest[0] == 0xFF && rest.Length >= 9 ? BinaryPrimitives.ReadInt64LittleEndian(rest[1..]) : rest[1];
        var raw = rest[(rest[0] == 0xFF && rest.Length >= 9 ? 9 : 2)..].ToArray();
        var elements = KServeTensorCodec.DecodeRawBytes(raw, expected, out var error);
        if (elements is null)
        {
            Check.That(error is not null, "a failed decode without an error");
            return;
        }

        Check.That(error is null && elements.Count == expected, "decoded element count differs from the expected count");
        var encoded = KServeTensorCodec.EncodeRawBytes(elements).Span;
        Check.That(encoded.SequenceEqual(raw), "decoded elements do not re-encode to the input");
    }

    /// <summary>A response with the output at an input-chosen position, input-chosen shape and either encoding.</summary>
    private static ModelInferResponse Build(byte selector, ReadOnlySpan<byte> rest)
    {
        var response = new ModelInferResponse { ModelName = "m" };
        var shapeLength = rest.IsEmpty ? 0 : rest[0] % 4;
        var at = Math.Min(rest.Length, 1);
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = OutputName, Datatype = (selector & 8) == 0 ? "BYTES" : "FP32" };
        for (var i = 0; i < shapeLength && at < rest.Length; i++, at++)
        {
            output.Shape.Add((sbyte)rest[at]);
        }

        if ((selector & 16) != 0)
        {
            response.Outputs.Add(new ModelInferResponse.Types.InferOutputTensor { Name = "other", Datatype = "BYTES" });
        }

        response.Outputs.Add(output);
        var body = rest[at..];
        if ((selector & 4) == 0)
        {
            // Raw layout: one raw entry per output (or, when the input says, one too few).
            if ((selector & 32) == 0 || response.Outputs.Count == 1)
            {
                for (var i = 0; i < response.Outputs.Count - 1; i++)
                {
                    response.RawOutputContents.Add(ByteString.Empty);
                }
            }

            response.RawOutputContents.Add(ByteString.CopyFrom(body));
        }
        else
        {
            output.Contents = new InferTensorContents();
            foreach (var part in SplitOn(body, 0xFF))
            {
                output.Contents.BytesContents.Add(ByteString.CopyFrom(part));
            }
        }

        return response;
    }

    private static List<byte[]> SplitOn(ReadOnlySpan<byte> body, byte separator)
    {
        var parts = new List<byte[]>();
        if (body.IsEmpty)
        {
            return parts;
        }

        while (true)
        {
            var end = body.IndexOf(separator);
            if (end < 0)
            {
                parts.Add(body.ToArray());
                return parts;
            }

            parts.Add(body[..end].ToArray());
            body = body[(end + 1)..];
        }
    }

    private static void ReadOutput(ModelInferResponse response)
    {
        var elements = KServeTensorCodec.ReadBytesOutput(response, OutputName, out var error);
        if (elements is null)
        {
            Check.That(error is not null, "a failed read without an error");
            return;
        }

        Check.That(error is null, "a successful read with an error");
        var output = response.Outputs.First(o => o.Name == OutputName);
        Check.That(output.Datatype == KServeTensorCodec.BytesType, "a non-BYTES output was read as BYTES");
        Check.That(KServeTensorCodec.ElementCount(output.Shape) == elements.Count, "element count differs from the shape");
    }
}
