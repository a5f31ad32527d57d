using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Server.IntegrationTests.Proxy.Fakes;

/// <summary>
/// The fake server's own reading and writing of KServe v2 BYTES tensors, written from the protocol (not the gateway's
/// codec) so an encoding mistake in the gateway cannot cancel itself out: in <c>raw_input_contents</c> /
/// <c>raw_output_contents</c> each element is a 4-byte little-endian length followed by its bytes, and the n-th raw
/// entry belongs to the n-th tensor.
/// </summary>
internal static class FakeKServeTensors
{
    /// <summary>The UTF-8 text of the single element of BYTES input <paramref name="name"/>, and whether it came raw.</summary>
    public static (string Text, bool Raw) ReadTextInput(ModelInferRequest request, string name)
    {
        var index = request.Inputs.ToList().FindIndex(i => i.Name == name);
        if (index < 0)
        {
            throw new InvalidOperationException($"no input named {name}");
        }

        var input = request.Inputs[index];
        if (input.Datatype != "BYTES")
        {
            throw new InvalidOperationException($"input {name} is {input.Datatype}, not BYTES");
        }

        if (request.RawInputContents.Count > 0)
        {
            if (input.Contents is not null)
            {
                throw new InvalidOperationException("typed contents and raw_input_contents in one request");
            }

            var elements = ReadRawElements(request.RawInputContents[index].Span);
            return (Encoding.UTF8.GetString(Assert.Single(elements)), true);
        }

        return (Assert.Single(input.Contents.BytesContents).ToStringUtf8(), false);
    }

    /// <summary>Splits a raw BYTES tensor into its elements.</summary>
    public static List<byte[]> ReadRawElements(ReadOnlySpan<byte> raw)
    {
        var elements = new List<byte[]>();
        while (!raw.IsEmpty)
        {
            var length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(raw));
            elements.Add(raw.Slice(4, length).ToArray());
            raw = raw[(4 + length)..];
        }

        return elements;
    }

    /// <summary>A response whose BYTES output <c>text_output</c> holds <paramref name="text"/>, as bytes_contents or raw_output_contents.</summary>
    public static ModelInferResponse TextResponse(string model, string text, bool raw, IDictionary<string, InferParameter>? parameters = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = new ModelInferResponse { ModelName = model };
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = "text_output", Datatype = "BYTES" };
        output.Shape.Add([1, 1]);
        if (raw)
        {
            var buffer = new byte[4 + bytes.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)bytes.Length);
            bytes.CopyTo(buffer, 4);
            response.RawOutputContents.Add(ByteString.CopyFrom(buffer));
        }
        else
        {
            output.Contents = new InferTensorContents();
            output.Contents.BytesContents.Add(ByteString.CopyFrom(bytes));
        }

        response.Outputs.Add(output);
        foreach (var (key, value) in parameters ?? new Dictionary<string, InferParameter>())
        {
            response.Parameters[key] = value;
        }

        return response;
    }

    /// <summary>One decoupled-stream response (TensorRT-LLM style: the new text of this step), optionally flagged final.</summary>
    public static ModelStreamInferResponse StreamPiece(string model, string text, bool final = false) =>
        new()
        {
            InferResponse = TextResponse(model, text, raw: false, final
                ? new Dictionary<string, InferParameter> { ["triton_final_response"] = new() { BoolParam = true } }
                : null),
        };
}
