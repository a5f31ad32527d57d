using System.Buffers;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Decoding;
using GuardGateway.Inference.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// Runs one batch: cached prefixes composed into a left-padded past, one batched prefill of the rest with
/// padding between each row's prefix and its new tokens (masked; positions = cumsum(mask) − 1), then
/// greedy KV-cache decoding in lockstep, dropping rows as they finish or are cancelled.
/// </summary>
internal sealed class GuardBatchRunner(
    DecoderSession decoder,
    PrefixKvCache? prefixCache,
    Llama3Tokenizer tokenizer,
    int maxNewTokens,
    string modelName,
    TimeProvider time,
    EngineCounters counters)
{
    private float[] _logits = [];
    private long[]? _mask;

    /// <summary>Runs the batch, completing each request; returns the prefill tokens run and the decode steps.</summary>
    public (int PrefillTokens, int DecodeSteps) Run(IReadOnlyList<PendingClassification> batch, RunOptions runOptions)
    {
        var start = time.GetTimestamp();
        var rows = new List<BatchRow>(batch.Count);
        var prefixes = new KvState?[batch.Count];
        foreach (var request in batch)
        {
            var cached = 0;
            if (prefixCache is not null && request.SharedPrefixLength > 0)
            {
                prefixes[rows.Count] = prefixCache.GetOrCreate(
                    request.PromptIds.AsMemory(0, request.SharedPrefixLength), ids => ComputePrefix(ids, runOptions), out var hit);
                counters.Prefix(hit);
                cached = request.SharedPrefixLength;
            }

            rows.Add(new BatchRow(request, cached));
        }

        var vocab = decoder.VocabSize;
        EnsureLogits(rows.Count * vocab);
        var pastLength = rows.Max(r => r.CachedPrefixLength);
        var newLength = rows.Max(r => r.NewLength);
        var baseLength = pastLength + newLength;
        var baseMasks = new long[rows.Count][];
        var ids = new long[rows.Count * newLength];
        for (var b = 0; b < rows.Count; b++)
        {
            var row = rows[b];
            var mask = baseMasks[b] = new long[baseLength];
            mask.AsSpan(pastLength - row.CachedPrefixLength, row.CachedPrefixLength).Fill(1);
            mask.AsSpan(baseLength - row.NewLength).Fill(1);
            var rowIds = ids.AsSpan(b * newLength, newLength);
            rowIds[..(newLength - row.NewLength)].Fill(GuardTokenIds.Padding);
            var prompt = row.Request.PromptIds.AsSpan(row.CachedPrefixLength);
            for (var i = 0; i < prompt.Length; i++)
            {
                rowIds[newLength - row.NewLength + i] = prompt[i];
            }
        }

        KvState? state = null;
        var steps = 0;
        try
        {
            using (var past = KvState.ComposeLeftPadded(decoder.Contract, prefixes, pastLength))
            {
                state = decoder.Run(past, ids, newLength, Flatten(baseMasks, baseLength, 0), _logits, runOptions);
                ReturnMask();
            }

            var prefillEnd = time.GetTimestamp();
            var prefillTokens = rows.Sum(r => r.NewLength);
            counters.Batch(rows.Count, prefillTokens);
            for (var b = 0; b < rows.Count; b++)
            {
                rows[b].Accept(_logits.AsSpan(b * vocab, vocab), maxNewTokens, prefillEnd);
            }

            var active = rows;
            var activeMasks = baseMasks;
            var nextTokens = new long[rows.Count];
            while (true)
            {
                Complete(active, start, prefillEnd);
                var keep = new List<int>(active.Count);
                for (var b = 0; b < active.Count; b++)
                {
                    if (!active[b].Finished && !active[b].Request.IsCancelled)
                    {
                        keep.Add(b);
                    }
                }

                if (keep.Count == 0)
                {
                    return (prefillTokens, steps);
                }

                if (keep.Count < active.Count)
                {
                    var gathered = state.GatherRows(keep);
                    state.Dispose();
                    state = gathered;
                    active = [.. keep.Select(k => active[k])];
                    activeMasks = [.. keep.Select(k => activeMasks[k])];
                }

                steps++;
                var next = nextTokens.AsSpan(0, active.Count);
                for (var b = 0; b < active.Count; b++)
                {
                    next[b] = active[b].LastToken;
                }

                var present = decoder.Run(state, next, 1, Flatten(activeMasks, baseLength, steps), _logits, runOptions);
                ReturnMask();
                state.Dispose();
                state = present;
                var now = time.GetTimestamp();
                for (var b = 0; b < active.Count; b++)
                {
                    active[b].Accept(_logits.AsSpan(b * vocab, vocab), maxNewTokens, now);
                }
            }
        }
        finally
        {
            state?.Dispose();
            ReturnMask();
        }
    }

    private KvState ComputePrefix(ReadOnlyMemory<int> prefix, RunOptions runOptions)
    {
        var ids = new long[prefix.Length];
        var mask = new long[prefix.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = prefix.Span[i];
            mask[i] = 1;
        }

        EnsureLogits(decoder.VocabSize);
        using var empty = KvState.Allocate(decoder.Contract, 1, 0);
        return decoder.Run(empty, ids, ids.Length, mask, _logits, runOptions);
    }

    private void EnsureLogits(int length)
    {
        if (_logits.Length < length)
        {
            _logits = new float[length];
        }
    }

    /// <summary>
    /// Each row's base mask followed by <paramref name="decoded"/> ones (decoded tokens are always real), in a
    /// pooled buffer that stays rented until <see cref="ReturnMask"/>: decoding does not allocate per token.
    /// </summary>
    private ReadOnlySpan<long> Flatten(long[][] masks, int baseLength, int decoded)
    {
        var total = baseLength + decoded;
        ReturnMask();
        _mask = ArrayPool<long>.Shared.Rent(masks.Length * total);
        for (var b = 0; b < masks.Length; b++)
        {
            masks[b].CopyTo(_mask, b * total);
            _mask.AsSpan((b * total) + baseLength, decoded).Fill(1);
        }

        return _mask.AsSpan(0, masks.Length * total);
    }

    private void ReturnMask()
    {
        if (_mask is not null)
        {
            ArrayPool<long>.Shared.Return(_mask);
            _mask = null;
        }
    }

    private void Complete(List<BatchRow> rows, long start, long prefillEnd)
    {
        foreach (var row in rows)
        {
            if (row.Finished && !row.Request.IsCompleted)
            {
                row.Request.TryComplete(BuildResult(row, start, prefillEnd));
            }
        }
    }

    private Result<GuardClassification> BuildResult(BatchRow row, long start, long prefillEnd)
    {
        if (float.IsNaN(row.UnsafeProbability))
        {
            return new GuardError(GuardErrorCode.ClassifierFailure, "The guard model produced NaN logits at the verdict position.");
        }

        var answer = row.Generated.Count > 0 && GuardTokenIds.IsStop(row.Generated[^1]) ? row.Generated.Take(row.Generated.Count - 1) : row.Generated;
        var text = tokenizer.Decode(answer);
        var parsed = GuardOutputParser.Parse(text, [.. row.Request.EnabledCodes]);
        var request = row.Request;
        return new GuardClassification
        {
            Outcome = parsed.Kind switch
            {
                GuardOutputKind.Safe => GuardOutcome.Safe,
                GuardOutputKind.Unsafe => GuardOutcome.Unsafe,
                _ => GuardOutcome.ParseFailure,
            },
            Categories = parsed.Codes,
            UnsafeProbability = row.UnsafeProbability,
            CategoryScores = (IReadOnlyDictionary<string, float>?)row.CategoryScores ?? new Dictionary<string, float>(),
            RawOutput = text,
            ParseFailureReason = parsed.FailureReason,
            PromptTokens = request.PromptIds.Length,
            PrefillTokens = row.NewLength,
            GeneratedTokens = row.Generated.Count,
            Timings = new ClassificationTimings(
                time.GetElapsedTime(request.EnqueuedTimestamp, start),
                time.GetElapsedTime(start, prefillEnd),
                time.GetElapsedTime(prefillEnd, row.FinishedTimestamp),
                time.GetElapsedTime(request.EnqueuedTimestamp, row.FinishedTimestamp)),
            Model = modelName,
        };
    }
}
