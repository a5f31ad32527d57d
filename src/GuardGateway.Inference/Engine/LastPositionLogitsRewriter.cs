using System.Buffers.Binary;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// Edits a decoder graph so that <c>lm_head</c> multiplies the last position's hidden state only: a
/// <c>Slice(hidden, -1:, axis 1)</c> goes in front of the matmul that (through Cast/Identity) produces
/// <c>logits</c>. The engine reads only that row anyway; for a 1,000-token prompt this saves ~490 MB of
/// fp32 logits and the largest matmul of the prefill. Graphs without a recognisable lm_head are left alone.
/// </summary>
internal static class LastPositionLogitsRewriter
{
    // ONNX field numbers (onnx.proto).
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphOutput = 12;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int ValueInfoName = 1;
    private const int AttributeName = 1;
    private const int AttributeTensor = 5;
    private const int AttributeType = 20;
    private const int AttributeTypeTensor = 4;
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorRawData = 9;
    private const int TensorInt64 = 7;

    private const string Prefix = "guardgateway_last_position";

    private static readonly HashSet<string> PassThroughOps = ["Cast", "Identity"];
    private static readonly HashSet<string> LmHeadOps = ["MatMul", "MatMulNBits", "MatMulBnb4"];

    /// <summary>The edited model, or null with the reason it was left alone.</summary>
    public static byte[]? TryRewrite(byte[] model, out string reason)
    {
        var modelFields = ProtoWire.ReadFields(model);
        var graphField = modelFields?.FirstOrDefault(f => f.Number == ModelGraph && f.WireType == ProtoWire.LengthDelimited);
        if (modelFields is null || graphField is null || graphField.Value.Payload.IsEmpty)
        {
            reason = "not a readable ONNX model";
            return null;
        }

        var graphFields = ProtoWire.ReadFields(graphField.Value.Payload);
        if (graphFields is null)
        {
            reason = "unreadable graph";
            return null;
        }

        var nodes = new List<(int FieldIndex, NodeInfo Node)>();
        var hasLogitsOutput = false;
        for (var i = 0; i < graphFields.Count; i++)
        {
            var field = graphFields[i];
            if (field.Number == GraphNode && ReadNode(field.Payload) is { } node)
            {
                nodes.Add((i, node));
            }
            else if (field.Number == GraphOutput && ProtoWire.ReadFields(field.Payload) is { } info
                && info.Any(f => f.Number == ValueInfoName && ProtoWire.AsString(f) == "logits"))
            {
                hasLogitsOutput = true;
            }
        }

        if (!hasLogitsOutput)
        {
            reason = "no 'logits' graph output";
            return null;
        }

        if (nodes.Any(n => n.Node.Outputs.Any(o => o.StartsWith(Prefix, StringComparison.Ordinal))))
        {
            reason = "already edited";
            return null;
        }

        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var output in nodes[i].Node.Outputs)
            {
                producers[output] = i;
            }
        }

        var tensor = "logits";
        int target;
        while (true)
        {
            if (!producers.TryGetValue(tensor, out target))
            {
                reason = $"no node produces '{tensor}'";
                return null;
            }

            var op = nodes[target].Node.OpType;
            if (LmHeadOps.Contains(op))
            {
                break;
            }

            if (!PassThroughOps.Contains(op) || nodes[target].Node.Inputs.Count == 0)
            {
                reason = $"logits come from a {op} node, not a recognised lm_head matmul";
                return null;
            }

            tensor = nodes[target].Node.Inputs[0];
        }

        var hidden = nodes[target].Node.Inputs[0];
        var graph = new MemoryStream(graphField.Value.Payload.Length + 1024);
        for (var i = 0; i < graphFields.Count; i++)
        {
            if (i == nodes[target].FieldIndex)
            {
                WriteSliceNodes(graph, hidden);
                ProtoWire.WriteBytes(graph, GraphNode, RewriteFirstInput(graphFields[i].Payload, Prefix + "/hidden"));
            }
            else
            {
                graph.Write(graphFields[i].Encoded.Span);
            }
        }

        var result = new MemoryStream(model.Length + 1024);
        foreach (var field in modelFields)
        {
            if (field.Number == ModelGraph)
            {
                ProtoWire.WriteBytes(result, ModelGraph, graph.ToArray());
            }
            else
            {
                result.Write(field.Encoded.Span);
            }
        }

        reason = $"lm_head ({nodes[target].Node.OpType}) now runs on the last position";
        return result.ToArray();
    }

    private static void WriteSliceNodes(MemoryStream graph, string hidden)
    {
        WriteConstant(graph, Prefix + "/starts", -1);
        WriteConstant(graph, Prefix + "/ends", long.MaxValue);
        WriteConstant(graph, Prefix + "/axes", 1);
        using var node = new MemoryStream();
        ProtoWire.WriteString(node, NodeInput, hidden);
        ProtoWire.WriteString(node, NodeInput, Prefix + "/starts");
        ProtoWire.WriteString(node, NodeInput, Prefix + "/ends");
        ProtoWire.WriteString(node, NodeInput, Prefix + "/axes");
        ProtoWire.WriteString(node, NodeOutput, Prefix + "/hidden");
        ProtoWire.WriteString(node, NodeName, Prefix + "/Slice");
        ProtoWire.WriteString(node, NodeOpType, "Slice");
        ProtoWire.WriteBytes(graph, GraphNode, node.ToArray());
    }

    private static void WriteConstant(MemoryStream graph, string name, long value)
    {
        using var tensor = new MemoryStream();
        ProtoWire.WriteScalar(tensor, TensorDims, 1);
        ProtoWire.WriteScalar(tensor, TensorDataType, TensorInt64);
        Span<byte> raw = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(raw, value);
        ProtoWire.WriteBytes(tensor, TensorRawData, raw);

        using var attribute = new MemoryStream();
        ProtoWire.WriteString(attribute, AttributeName, "value");
        ProtoWire.WriteBytes(attribute, AttributeTensor, tensor.ToArray());
        ProtoWire.WriteScalar(attribute, AttributeType, AttributeTypeTensor);

        using var node = new MemoryStream();
        ProtoWire.WriteString(node, NodeOutput, name);
        ProtoWire.WriteString(node, NodeName, name);
        ProtoWire.WriteString(node, NodeOpType, "Constant");
        ProtoWire.WriteBytes(node, NodeAttribute, attribute.ToArray());
        ProtoWire.WriteBytes(graph, GraphNode, node.ToArray());
    }

    private static byte[] RewriteFirstInput(ReadOnlyMemory<byte> nodePayload, string newInput)
    {
        using var node = new MemoryStream(nodePayload.Length + newInput.Length);
        var replaced = false;
        foreach (var field in ProtoWire.ReadFields(nodePayload)!)
        {
            if (!replaced && field.Number == NodeInput)
            {
                ProtoWire.WriteString(node, NodeInput, newInput);
                replaced = true;
            }
            else
            {
                node.Write(field.Encoded.Span);
            }
        }

        return node.ToArray();
    }

    private static NodeInfo? ReadNode(ReadOnlyMemory<byte> payload)
    {
        var fields = ProtoWire.ReadFields(payload);
        if (fields is null)
        {
            return null;
        }

        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = string.Empty;
        foreach (var field in fields)
        {
            switch (field.Number)
            {
                case NodeInput:
                    inputs.Add(ProtoWire.AsString(field));
                    break;
                case NodeOutput:
                    outputs.Add(ProtoWire.AsString(field));
                    break;
                case NodeOpType:
                    op = ProtoWire.AsString(field);
                    break;
            }
        }

        return new NodeInfo(op, inputs, outputs);
    }

    private sealed record NodeInfo(string OpType, List<string> Inputs, List<string> Outputs);
}
