using System.Globalization;
using DataType = GuardGateway.ModelForge.Onnx.TensorProto.Types.DataType;

namespace GuardGateway.ModelForge.Onnx;

/// <summary>
/// A small builder over <see cref="GraphProto"/>: every op method appends a node and returns the name of its
/// output, so graphs read like the math (<c>b.MatMul(b.Mul(x, y), w)</c>). Only standard ai.onnx ops are used.
/// Initializers keep their bytes aside so the writer can put large ones into external data.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>The ai.onnx opset the forged graphs import (ONNX Runtime 1.31 runs up to ~23).</summary>
    public const int Opset = 18;

    /// <summary>IR version matching <see cref="Opset"/> (onnx 1.13).</summary>
    public const int IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly List<PendingInitializer> _initializers = [];
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string graphName)
    {
        _graph = new GraphProto { Name = graphName };
    }

    public IReadOnlyList<PendingInitializer> Initializers => _initializers;

    /// <summary>Declares a graph input and returns its name.</summary>
    public string Input(string name, DataType type, params Dim[] shape)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares a graph output; the value must be produced by a node named with the same output.</summary>
    public void Output(string name, DataType type, params Dim[] shape) => _graph.Output.Add(ValueInfo(name, type, shape));

    /// <summary>Adds a named constant tensor (weights) and returns its name.</summary>
    public string Weight(string name, DataType type, long[] dims, byte[] data)
    {
        Claim(name);
        _initializers.Add(new PendingInitializer(name, type, dims, data));
        return name;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, indices); equal constants are shared.</summary>
    public string Int64s(params long[] values) =>
        Constant("i64[" + string.Join(',', values) + "]", DataType.Int64, [values.Length], TensorBytes.Of(values));

    /// <summary>A 0-D int64 constant.</summary>
    public string Int64Scalar(long value) =>
        Constant("i64(" + value.ToString(CultureInfo.InvariantCulture) + ")", DataType.Int64, [], TensorBytes.Of([value]));

    /// <summary>A 0-D float constant of the given float type (float32 or float16).</summary>
    public string FloatScalar(float value, DataType type)
    {
        var key = type + "(" + value.ToString("R", CultureInfo.InvariantCulture) + ")";
        var data = type == DataType.Float16 ? TensorBytes.AsFloat16([value]) : TensorBytes.Of([value]);
        return Constant(key, type, [], data);
    }

    /// <summary>A 1-D float constant of the given float type (float32 or float16).</summary>
    public string Floats(DataType type, params float[] values)
    {
        var key = type + "[" + string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
        var data = type == DataType.Float16 ? TensorBytes.AsFloat16(values) : TensorBytes.Of(values);
        return Constant(key, type, [values.Length], data);
    }

    /// <summary>Appends a node with one output (named <paramref name="output"/> or generated) and returns it.</summary>
    public string Op(string opType, IReadOnlyList<string> inputs, string? output = null, params AttributeProto[] attributes)
    {
        var name = output ?? Fresh(opType);
        if (output is not null)
        {
            Claim(output);
        }

        var node = new NodeProto { OpType = opType, Name = "n" + (++_counter).ToString(CultureInfo.InvariantCulture) + "_" + opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return name;
    }

    /// <summary>Wraps the graph in a model with the opset import and producer fields set.</summary>
    public ModelProto ToModel(string producerVersion, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "GuardGateway.ModelForge",
            ProducerVersion = producerVersion,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    private string Constant(string key, DataType type, long[] dims, byte[] data)
    {
        if (_constants.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var name = Fresh("const");
        _initializers.Add(new PendingInitializer(name, type, dims, data));
        _constants[key] = name;
        return name;
    }

    private string Fresh(string stem)
    {
        string name;
        do
        {
            name = "/" + stem + "_" + (++_counter).ToString(CultureInfo.InvariantCulture);
        }
        while (!_names.Add(name));

        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException("Duplicate value name in forged graph: " + name);
        }
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, Dim[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = new TensorShapeProto() };
        foreach (var dim in shape)
        {
            tensor.Shape.Dim.Add(dim.ToProto());
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
