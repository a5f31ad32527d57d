using DataType = GuardGateway.ModelForge.Onnx.TensorProto.Types.DataType;

namespace GuardGateway.ModelForge.Onnx;

/// <summary>Named helpers for the standard ops the forged graphs use (semantics: ONNX Operators.md, opset 18).</summary>
internal sealed partial class OnnxGraphBuilder
{
    public string MatMul(string a, string b, string? output = null) => Op("MatMul", [a, b], output);

    public string Add(string a, string b, string? output = null) => Op("Add", [a, b], output);

    public string Sub(string a, string b) => Op("Sub", [a, b]);

    public string Mul(string a, string b, string? output = null) => Op("Mul", [a, b], output);

    public string Neg(string x) => Op("Neg", [x]);

    public string Sigmoid(string x) => Op("Sigmoid", [x]);

    public string Sqrt(string x) => Op("Sqrt", [x]);

    public string Reciprocal(string x) => Op("Reciprocal", [x]);

    public string Cos(string x) => Op("Cos", [x]);

    public string Sin(string x) => Op("Sin", [x]);

    public string Softmax(string x, long axis) => Op("Softmax", [x], null, Attr.Int("axis", axis));

    public string Cast(string x, DataType to, string? output = null) => Op("Cast", [x], output, Attr.Int("to", (long)to));

    /// <summary>Reshape; 0 in <paramref name="shape"/> copies the input dimension, -1 infers one.</summary>
    public string Reshape(string x, params long[] shape) => Op("Reshape", [x, Int64s(shape)]);

    public string Transpose(string x, params long[] perm) => Op("Transpose", [x], null, Attr.Ints("perm", perm));

    public string Concat(long axis, string? output, params string[] inputs) => Op("Concat", inputs, output, Attr.Int("axis", axis));

    /// <summary>Slice with constant bounds on one axis.</summary>
    public string Slice(string x, long axis, long start, long end) =>
        Op("Slice", [x, Int64s(start), Int64s(end), Int64s(axis)]);

    /// <summary>Slice with tensor bounds (1-D int64) on one axis.</summary>
    public string Slice(string x, long axis, string starts, string ends) =>
        Op("Slice", [x, starts, ends, Int64s(axis)]);

    public string Unsqueeze(string x, params long[] axes) => Op("Unsqueeze", [x, Int64s(axes)]);

    public string Squeeze(string x, params long[] axes) => Op("Squeeze", [x, Int64s(axes)]);

    public string Gather(string data, string indices, long axis = 0) => Op("Gather", [data, indices], null, Attr.Int("axis", axis));

    public string Where(string condition, string whenTrue, string whenFalse) => Op("Where", [condition, whenTrue, whenFalse]);

    public string Equal(string a, string b) => Op("Equal", [a, b]);

    public string Greater(string a, string b) => Op("Greater", [a, b]);

    public string LessOrEqual(string a, string b) => Op("LessOrEqual", [a, b]);

    public string And(string a, string b) => Op("And", [a, b]);

    public string Or(string a, string b) => Op("Or", [a, b]);

    public string Not(string x) => Op("Not", [x]);

    public string Expand(string x, string shape) => Op("Expand", [x, shape]);

    /// <summary>Range over 0-D int64 start, limit, delta.</summary>
    public string Range(string start, string limit, string delta) => Op("Range", [start, limit, delta]);

    public string CumSum(string x, long axis) => Op("CumSum", [x, Int64Scalar(axis)]);

    public string ReduceMean(string x, long axis, bool keepDims) =>
        Op("ReduceMean", [x, Int64s(axis)], null, Attr.Int("keepdims", keepDims ? 1 : 0));

    public string ReduceSum(string x, long axis, bool keepDims) =>
        Op("ReduceSum", [x, Int64s(axis)], null, Attr.Int("keepdims", keepDims ? 1 : 0));

    public string ReduceMax(string x, long axis, bool keepDims) =>
        Op("ReduceMax", [x, Int64s(axis)], null, Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Dimensions [start, end) of the shape of <paramref name="x"/> as a 1-D int64 tensor.</summary>
    public string ShapeOf(string x, long start, long end) =>
        Op("Shape", [x], null, Attr.Int("start", start), Attr.Int("end", end));

    /// <summary>Index of the first maximum along an axis (ties: the lowest index).</summary>
    public string ArgMax(string x, long axis, bool keepDims) =>
        Op("ArgMax", [x], null, Attr.Int("axis", axis), Attr.Int("keepdims", keepDims ? 1 : 0));

    public string OneHot(string indices, string depth, string values, long axis, string? output = null) =>
        Op("OneHot", [indices, depth, values], output, Attr.Int("axis", axis));

    public string Identity(string x, string? output = null) => Op("Identity", [x], output);
}
