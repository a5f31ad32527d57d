using System.Globalization;
using System.Runtime.InteropServices;
using GuardGateway.ModelForge.Onnx;

namespace GuardGateway.ModelForge.Tests;

/// <summary>
/// Reads a forged model's float32 initializers straight from <c>model.onnx</c> and <c>model.onnx_data</c>
/// (location/offset/length), independently of ONNX Runtime.
/// </summary>
internal sealed class ForgedWeights
{
    private readonly Dictionary<string, TensorProto> _tensors;
    private readonly string _directory;

    public ForgedWeights(string modelPath)
    {
        _directory = Path.GetDirectoryName(modelPath)!;
        using var stream = File.OpenRead(modelPath);
        _tensors = ModelProto.Parser.ParseFrom(stream).Graph.Initializer.ToDictionary(t => t.Name);
    }

    public float[] this[string name]
    {
        get
        {
            var tensor = _tensors[name];
            Assert.Equal((int)TensorProto.Types.DataType.Float, tensor.DataType);
            byte[] bytes;
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
                var offset = long.Parse(entries["offset"], CultureInfo.InvariantCulture);
                var length = int.Parse(entries["length"], CultureInfo.InvariantCulture);
                using var file = File.OpenRead(Path.Combine(_directory, entries["location"]));
                file.Seek(offset, SeekOrigin.Begin);
                bytes = new byte[length];
                file.ReadExactly(bytes);
            }
            else
            {
                bytes = tensor.RawData.ToByteArray();
            }

            Assert.Equal(tensor.Dims.Aggregate(1L, (a, d) => a * d) * 4, bytes.LongLength);
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }
    }
}
