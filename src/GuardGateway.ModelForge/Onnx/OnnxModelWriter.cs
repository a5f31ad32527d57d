using System.Globalization;
using Google.Protobuf;

namespace GuardGateway.ModelForge.Onnx;

/// <summary>
/// Writes a model as the real exports do: <c>model.onnx</c> with small tensors inline and every tensor over the
/// threshold in one external data file beside it (keys <c>location</c>, <c>offset</c>, <c>length</c>; offsets
/// page-aligned so runtimes can map the file).
/// </summary>
internal static class OnnxModelWriter
{
    private const int Alignment = 4096;

    /// <summary>Writes <paramref name="model"/> with the builder's initializers; returns whether external data was written.</summary>
    public static bool Write(
        ModelProto model,
        IReadOnlyList<PendingInitializer> initializers,
        string modelPath,
        string externalDataFileName,
        long externalThresholdBytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var externalPath = Path.Combine(directory, externalDataFileName);
        FileStream? external = null;
        try
        {
            foreach (var pending in initializers)
            {
                var tensor = new TensorProto { Name = pending.Name, DataType = (int)pending.DataType };
                tensor.Dims.AddRange(pending.Dims);
                if (pending.Data.LongLength > externalThresholdBytes)
                {
                    external ??= new FileStream(externalPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
                    var offset = external.Position;
                    external.Write(pending.Data);
                    tensor.DataLocation = TensorProto.Types.DataLocation.External;
                    tensor.ExternalData.Add(Entry("location", externalDataFileName));
                    tensor.ExternalData.Add(Entry("offset", offset.ToString(CultureInfo.InvariantCulture)));
                    tensor.ExternalData.Add(Entry("length", pending.Data.LongLength.ToString(CultureInfo.InvariantCulture)));
                    var padding = (Alignment - (external.Position % Alignment)) % Alignment;
                    external.Write(new byte[padding]);
                }
                else
                {
                    tensor.RawData = ByteString.CopyFrom(pending.Data);
                }

                model.Graph.Initializer.Add(tensor);
            }
        }
        finally
        {
            external?.Dispose();
        }

        using (var stream = new FileStream(modelPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            model.WriteTo(stream);
        }

        return external is not null;
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
