namespace GuardGateway.ModelForge.Onnx;

/// <summary>One dimension of a declared graph input or output: a fixed size or a symbolic name.</summary>
internal readonly record struct Dim(long? Value, string? Symbol)
{
    public static implicit operator Dim(long value) => new(value, null);

    public static implicit operator Dim(int value) => new(value, null);

    public static implicit operator Dim(string symbol) => new(null, symbol);

    public TensorShapeProto.Types.Dimension ToProto() => Symbol is null
        ? new TensorShapeProto.Types.Dimension { DimValue = Value!.Value }
        : new TensorShapeProto.Types.Dimension { DimParam = Symbol };
}
