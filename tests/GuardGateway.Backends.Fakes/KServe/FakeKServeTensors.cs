using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Backends.Fakes.KServe;

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
            return (Encoding.UTF8.GetString(OnlyElement(elements, name)), true);
        }

        return (OnlyElement(input.Contents.BytesContents, name).ToStringUtf8(), false);
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

    /// <summary>
    /// A response whose BYTES output <paramref name="outputName"/> holds <paramref name="text"/> (then the elements of
    /// <paramref name="more"/>), as bytes_contents or raw_output_contents.
    /// </summary>
    public static ModelInferResponse TextResponse(string model, string text, bool raw, string outputName = "text_output", params string[] more) =>
        Response(model, [Encoding.UTF8.GetBytes(text), .. more.Select(Encoding.UTF8.GetBytes)], raw, outputName, final: false);

    /// <summary>One decoupled-stream response (TensorRT-LLM style: the new text of this step), optionally flagged final.</summary>
    public static ModelStreamInferResponse StreamPiece(string model, string text, bool final = false) =>
        new() { InferResponse = Response(model, [Encoding.UTF8.GetBytes(text)], raw: false, "text_output", final) };

    /// <summary>A decoupled-stream response carrying raw bytes of text (may be a partial UTF-8 sequence), no model name.</summary>
    public static ModelStreamInferResponse StreamPiece(byte[] bytes, bool final = false) =>
        new() { InferResponse = Response("", [bytes], raw: false, "text_output", final) };

    private static ModelInferResponse Response(string model, IReadOnlyList<byte[]> elements, bool raw, string outputName, bool final)
    {
        var response = new ModelInferResponse { ModelName = model };
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = outputName, Datatype = "BYTES" };
        output.Shape.Add([1, elements.Count]);
        if (raw)
        {
            var buffer = new byte[elements.Sum(e => 4 + e.Length)];
            var offset = 0;
            foreach (var element in elements)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)element.Length);
                element.CopyTo(buffer, offset + 4);
                offset += 4 + element.Length;
            }

            response.RawOutputContents.Add(ByteString.CopyFrom(buffer));
        }
        else
        {
            output.Contents = new InferTensorContents();
            output.Contents.BytesContents.Add(elements.Select(ByteString.CopyFrom));
        }

        response.Outputs.Add(output);
        if (final)
        {
            response.Parameters["triton_final_response"] = new InferParameter { BoolParam = true };
        }

        return response;
    }

    private static T OnlyElement<T>(IList<T> elements, string name) =>
        elements.Count == 1 ? elements[0] : throw new InvalidOperationException($"input {name} holds {elements.Count} elements, not one");
}
