using System.Buffers;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// One ONNX Runtime session over a decoder graph, driven step by step: feed new tokens with a past KV
/// state, get the present state and the last position's logits. <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
/// is thread-safe; every output is pre-allocated so the caller owns all native memory.
/// </summary>
internal sealed class DecoderSession : IDisposable
{
    private static readonly long[] ScalarShape = [];
    private static readonly long[] VectorOfOneShape = [1];
    private static readonly long[] KeepOne = [1];
    private static readonly bool[] BranchWithPast = [true];
    private static readonly bool[] BranchWithoutPast = [false];
    private readonly InferenceSession _session;
    private readonly string[] _outputNames;
    private int _activeRuns;
    private long _terminatedRuns;

    public DecoderSession(InferenceSession session, DecoderGraphContract contract)
    {
        _session = session;
        Contract = contract;
        _outputNames = [contract.Logits, .. contract.Present.SelectMany(p => new[] { p.Key, p.Value })];
    }

    public DecoderGraphContract Contract { get; }

    public int VocabSize => Contract.VocabSize;

    /// <summary>Forward passes executing inside ONNX Runtime now (0 when idle: no run outlives its batch).</summary>
    public int ActiveRuns => Volatile.Read(ref _activeRuns);

    /// <summary>Forward passes stopped by <see cref="RunOptions.Terminate"/> since the session opened.</summary>
    public long TerminatedRuns => Interlocked.Read(ref _terminatedRuns);

    /// <summary>Opens a session on a graph and reads its contract.</summary>
    public static Result<DecoderSession> Open(InferenceSession session, LlamaModelConfig config, int tokenizerVocabulary, bool graphEdited)
    {
        var contract = DecoderGraphContractReader.Read(session.InputMetadata, session.OutputMetadata, config, tokenizerVocabulary, graphEdited);
        if (!contract.IsSuccess)
        {
            session.Dispose();
            return contract.Error;
        }

        return new DecoderSession(session, contract.Value);
    }

    /// <summary>
    /// Runs one forward pass.
    /// </summary>
    /// <param name="past">The past state (its batch is the batch; length may be 0).</param>
    /// <param name="inputIds">New tokens, <c>[batch, newLength]</c> row-major.</param>
    /// <param name="newLength">New tokens per row.</param>
    /// <param name="attentionMask"><c>[batch, past.Length + newLength]</c>: 1 for real tokens, 0 for padding.</param>
    /// <param name="lastLogits">Receives each row's logits at its last new position, as float32, <c>[batch, vocab]</c>.</param>
    /// <param name="runOptions">Run options (carry <see cref="RunOptions.Terminate"/>).</param>
    /// <returns>The present state (past + new), owned by the caller.</returns>
    public KvState Run(KvState past, ReadOnlySpan<long> inputIds, int newLength, ReadOnlySpan<long> attentionMask, Span<float> lastLogits, RunOptions runOptions)
    {
        ArgumentNullException.ThrowIfNull(past);
        var batch = past.Batch;
        var total = past.Length + newLength;
        if (inputIds.Length != batch * newLength || attentionMask.Length != batch * total || lastLogits.Length < batch * VocabSize)
        {
            throw new ArgumentException("Input sizes do not match the batch.");
        }

        var pool = ArrayPool<long>.Shared;
        var ids = pool.Rent(inputIds.Length);
        var mask = pool.Rent(attentionMask.Length);
        var positions = pool.Rent(inputIds.Length);
        var names = new List<string>(4 + (2 * Contract.Layers));
        var inputs = new List<OrtValue>(names.Capacity);
        var outputs = new List<OrtValue>(_outputNames.Length);
        KvState? present = null;
        try
        {
            inputIds.CopyTo(ids);
            attentionMask.CopyTo(mask);
            Add(Contract.InputIds, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, inputIds.Length), [batch, newLength]));
            Add(Contract.AttentionMask, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, attentionMask.Length), [batch, total]));
            if (Contract.PositionIds is { } positionName)
            {
                FillPositions(attentionMask, batch, total, newLength, positions);
                Add(positionName, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, positions.AsMemory(0, inputIds.Length), [batch, newLength]));
            }

            if (Contract.UseCacheBranch is { } branchName)
            {
                Add(branchName, OrtValue.CreateTensorValueFromMemory(past.Length > 0 ? BranchWithPast : BranchWithoutPast, VectorOfOneShape));
            }

            if (Contract.LogitsToKeep is { } keepName)
            {
                Add(keepName, OrtValue.CreateTensorValueFromMemory(KeepOne, Contract.LogitsToKeepRank == 0 ? ScalarShape : VectorOfOneShape));
            }

            for (var layer = 0; layer < Contract.Layers; layer++)
            {
                names.Add(Contract.Past[layer].Key);
                inputs.Add(past.Key(layer));
                names.Add(Contract.Past[layer].Value);
                inputs.Add(past.Value(layer));
            }

            var logitRows = Contract.LastPositionLogitsOnly ? 1 : newLength;
            outputs.Add(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, Contract.LogitsElementType, [batch, logitRows, VocabSize]));
            present = KvState.Allocate(Contract, batch, total);
            for (var layer = 0; layer < Contract.Layers; layer++)
            {
                outputs.Add(present.Key(layer));
                outputs.Add(present.Value(layer));
            }

            RunSession(runOptions, names, inputs, outputs);
            CopyLastRows(outputs[0], batch, logitRows, lastLogits);
            var result = present;
            present = null;
            return result;
        }
        finally
        {
            present?.Dispose();
            // Only the first few inputs and the logits are ours; past and present tensors belong to KvStates.
            foreach (var value in inputs.Take(names.Count - (2 * Contract.Layers)))
            {
                value.Dispose();
            }

            if (outputs.Count > 0)
            {
                outputs[0].Dispose();
            }

            pool.Return(ids);
            pool.Return(mask);
            pool.Return(positions);
        }

        void Add(string name, OrtValue value)
        {
            names.Add(name);
            inputs.Add(value);
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// The one call into ONNX Runtime, counted in <see cref="ActiveRuns"/> whichever way it ends (answer, terminate,
    /// failure): the gauge is how an orphaned run would show (RELIABILITY.md T10).
    /// </summary>
    private void RunSession(RunOptions runOptions, List<string> names, List<OrtValue> inputs, List<OrtValue> outputs)
    {
        Interlocked.Increment(ref _activeRuns);
        try
        {
            _session.Run(runOptions, names, inputs, _outputNames, outputs);
        }
        catch (OnnxRuntimeException) when (runOptions.Terminate)
        {
            Interlocked.Increment(ref _terminatedRuns);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _activeRuns);
        }
    }

    /// <summary>
    /// position_ids = cumsum(mask) − 1 over past + new, for the new slots; padding slots get 1 (as
    /// transformers does). Correct for left padding and for padding between a cached prefix and new tokens.
    /// </summary>
    internal static void FillPositions(ReadOnlySpan<long> mask, int batch, int total, int newLength, Span<long> positions)
    {
        for (var b = 0; b < batch; b++)
        {
            var row = mask.Slice(b * total, total);
            long sum = 0;
            for (var t = 0; t < total; t++)
            {
                sum += row[t];
                var slot = t - (total - newLength);
                if (slot >= 0)
                {
                    positions[(b * newLength) + slot] = row[t] == 0 ? 1 : sum - 1;
                }
            }
        }
    }

    private void CopyLastRows(OrtValue logits, int batch, int rows, Span<float> target)
    {
        var vocab = VocabSize;
        if (Contract.LogitsElementType == TensorElementType.Float16)
        {
            var data = logits.GetTensorDataAsSpan<Float16>();
            for (var b = 0; b < batch; b++)
            {
                var row = data.Slice((((b * rows) + rows - 1) * vocab), vocab);
                var dest = target.Slice(b * vocab, vocab);
                for (var v = 0; v < vocab; v++)
                {
                    dest[v] = (float)row[v];
                }
            }

            return;
        }

        var floats = logits.GetTensorDataAsSpan<float>();
        for (var b = 0; b < batch; b++)
        {
            floats.Slice(((b * rows) + rows - 1) * vocab, vocab).CopyTo(target.Slice(b * vocab, vocab));
        }
    }
}
