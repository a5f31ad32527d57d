using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace GuardGateway.ModelForge.Tests;

/// <summary>The outputs of one run, kept alive so their <c>present</c> tensors feed the next step as past.</summary>
internal sealed class DecoderState(List<string> names, IDisposableReadOnlyCollection<OrtValue> outputs) : IDisposable
{
    public OrtValue Get(int layer, string part) =>
        outputs[names.IndexOf(string.Create(CultureInfo.InvariantCulture, $"present.{layer}.{part}"))];

    public long[] Shape(int layer, string part) => Get(layer, part).GetTensorTypeAndShape().Shape;

    public void Dispose() => outputs.Dispose();
}
