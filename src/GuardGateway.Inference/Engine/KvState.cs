using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// The key/value cache of a batch in the growing-past layout <c>[batch, kv_heads, length, head_dim]</c>, one
/// key and one value tensor per layer. Owns its <see cref="OrtValue"/>s (native memory): dispose it.
/// </summary>
internal sealed class KvState : IDisposable
{
    private readonly OrtValue[] _keys;
    private readonly OrtValue[] _values;
    private bool _disposed;

    private KvState(DecoderGraphContract contract, int batch, int length)
    {
        Contract = contract;
        Batch = batch;
        Length = length;
        _keys = new OrtValue[contract.Layers];
        _values = new OrtValue[contract.Layers];
        long[] shape = [batch, contract.KvHeads, length, contract.HeadDim];
        try
        {
            for (var i = 0; i < contract.Layers; i++)
            {
                _keys[i] = AllocateTensor(contract.KvElementType, shape);
                _values[i] = AllocateTensor(contract.KvElementType, shape);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public DecoderGraphContract Contract { get; }

    public int Batch { get; }

    /// <summary>Sequence slots per row (real and padding).</summary>
    public int Length { get; }

    /// <summary>Bytes of one row of one tensor: kv_heads × length × head_dim × element size.</summary>
    private long RowBytes => (long)Contract.KvHeads * Length * Contract.HeadDim * Contract.KvElementSize;

    public OrtValue Key(int layer) => _keys[layer];

    public OrtValue Value(int layer) => _values[layer];

    /// <summary>Uninitialised tensors of the given shape (for ONNX Runtime to write presents into).</summary>
    public static KvState Allocate(DecoderGraphContract contract, int batch, int length) => new(contract, batch, length);

    /// <summary>
    /// A past for a batch whose rows start from different cached prefixes (or none): row <c>b</c> holds
    /// its prefix right-aligned in <paramref name="length"/> slots, the slots before it zeroed (masked out by
    /// the attention mask). Each prefix is a batch-1 state.
    /// </summary>
    public static KvState ComposeLeftPadded(DecoderGraphContract contract, IReadOnlyList<KvState?> prefixes, int length)
    {
        var state = new KvState(contract, prefixes.Count, length);
        if (length == 0)
        {
            return state;
        }

        try
        {
            var elementBytes = contract.KvElementSize;
            var slotBytes = contract.HeadDim * elementBytes;
            for (var layer = 0; layer < contract.Layers; layer++)
            {
                for (var pass = 0; pass < 2; pass++)
                {
                    var target = (pass == 0 ? state._keys : state._values)[layer].GetTensorMutableRawData();
                    target.Clear();
                    for (var b = 0; b < prefixes.Count; b++)
                    {
                        var prefix = prefixes[b];
                        if (prefix is null || prefix.Length == 0)
                        {
                            continue;
                        }

                        var source = (pass == 0 ? prefix._keys : prefix._values)[layer].GetTensorMutableRawData();
                        var pad = length - prefix.Length;
                        for (var h = 0; h < contract.KvHeads; h++)
                        {
                            var from = (long)h * prefix.Length * slotBytes;
                            var to = (((long)b * contract.KvHeads + h) * length + pad) * slotBytes;
                            source.Slice((int)from, prefix.Length * slotBytes).CopyTo(target.Slice((int)to));
                        }
                    }
                }
            }

            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>A new state holding only the given rows, in that order (drops finished requests from a batch).</summary>
    public KvState GatherRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var state = new KvState(Contract, rows.Count, Length);
        if (Length == 0)
        {
            return state;
        }

        try
        {
            var rowBytes = (int)RowBytes;
            for (var layer = 0; layer < Contract.Layers; layer++)
            {
                CopyRows(_keys[layer], state._keys[layer], rows, rowBytes);
                CopyRows(_values[layer], state._values[layer], rows, rowBytes);
            }

            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var value in _keys.Concat(_values))
        {
            value?.Dispose();
        }
    }

    private static void CopyRows(OrtValue from, OrtValue to, IReadOnlyList<int> rows, int rowBytes)
    {
        var source = from.GetTensorMutableRawData();
        var target = to.GetTensorMutableRawData();
        for (var i = 0; i < rows.Count; i++)
        {
            source.Slice(rows[i] * rowBytes, rowBytes).CopyTo(target.Slice(i * rowBytes, rowBytes));
        }
    }

    private static OrtValue AllocateTensor(TensorElementType type, long[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) == 0)
        {
            // ONNX Runtime's allocator refuses zero bytes; an empty managed buffer describes an empty tensor.
            return type == TensorElementType.Float16
                ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Memory<Float16>.Empty, shape)
                : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Memory<float>.Empty, shape);
        }

        return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, shape);
    }
}
