namespace GuardGateway.ModelForge.Onnx;

/// <summary>A constant tensor of the graph with its little-endian bytes, placed inline or external when written.</summary>
internal sealed record PendingInitializer(string Name, TensorProto.Types.DataType DataType, long[] Dims, byte[] Data);
