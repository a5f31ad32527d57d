using System.Threading.Channels;
using GuardGateway.Core.Results;
using Microsoft.ML.OnnxRuntime;

namespace GuardGateway.Inference.Engine;

/// <summary>The worker: coalesces queued requests into batches and runs them, never letting a failure escape.</summary>
/// <remarks>
/// The worker owns a dedicated thread and blocks on it, on purpose: a forward pass is a long synchronous native call,
/// and run on a thread-pool thread it takes one of the few pool threads of a small host for its whole duration, so
/// Kestrel, gRPC and timer continuations queue behind it until the pool injects another thread (measured on 2 cores:
/// Task.Delay(1) continuations waited 150–800 ms, the length of a whole classification).
/// </remarks>
public sealed partial class OnnxGuardClassifier
{
    private readonly TaskCompletionSource? _gate;
    private PendingClassification? _carry;

    /// <summary>Starts <see cref="RunWorker"/> on its own (background) thread; the task ends when the worker does.</summary>
    private Task StartWorkerThread()
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            RunWorker();
            ended.TrySetResult();
        })
        {
            IsBackground = true,
            Name = "guard-inference",
        };
        thread.Start();
        return ended.Task;
    }

    private void RunWorker()
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                if (_carry is null && !WaitToRead(reader, _shutdown.Token))
                {
                    return;
                }

                _gate?.Task.Wait(_shutdown.Token);

                var batch = CollectBatch(reader);
                batch.RemoveAll(p => p.IsCancelled || p.IsCompleted);
                if (batch.Count > 0)
                {
                    RunBatch(batch);
                }
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The worker thread must not take the process down: callers get a value instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Unreachable by design (RunBatch turns failures into values); if it happens, stop taking requests so
            // callers get an immediate classifier failure (and the policy's fail mode) instead of a silent queue.
            _queue.Writer.TryComplete();
            EngineLog.BatchFailed(_logger, 0, ex.GetType().Name, ex);
        }
        finally
        {
            var shutDown = new GuardError(GuardErrorCode.ClassifierFailure, "The classifier shut down before this request ran.");
            _carry?.TryComplete(shutDown);
            while (reader.TryRead(out var left))
            {
                left.TryComplete(shutDown);
            }
        }
    }

    /// <summary>Blocks the worker thread until an item can be read (true) or the queue is completed (false).</summary>
    private static bool WaitToRead(ChannelReader<PendingClassification> reader, CancellationToken cancellationToken)
    {
        var wait = reader.WaitToReadAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Up to MaxBatchSize requests, waiting at most BatchWindow after the first for more.</summary>
    private List<PendingClassification> CollectBatch(ChannelReader<PendingClassification> reader)
    {
        var batch = new List<PendingClassification>(_options.MaxBatchSize);
        if (_carry is not null)
        {
            batch.Add(_carry);
            _carry = null;
        }

        var started = _time.GetTimestamp();
        while (batch.Count < _options.MaxBatchSize)
        {
            if (reader.TryRead(out var next))
            {
                if (batch.Count > 0 && !FitsLogitsBudget(batch, next))
                {
                    _carry = next;
                    break;
                }

                batch.Add(next);
                continue;
            }

            var remaining = _options.BatchWindow - _time.GetElapsedTime(started);
            if (batch.Count > 0 && remaining <= TimeSpan.Zero)
            {
                break;
            }

            using var window = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(window.Token, _shutdown.Token);
            try
            {
                if (!WaitToRead(reader, linked.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                // The window closed, or the classifier is shutting down: either way the requests already
                // taken from the queue are in this batch and must still be completed by the caller.
                break;
            }
        }

        return batch;
    }

    /// <summary>
    /// Without the last-position edit ONNX Runtime materialises logits for every prompt position
    /// (batch × length × 128256 floats); keep one batch's logits under 2^28 elements (1 GiB of fp32).
    /// </summary>
    private bool FitsLogitsBudget(List<PendingClassification> batch, PendingClassification next)
    {
        if (_decoder.Contract.LastPositionLogitsOnly)
        {
            return true;
        }

        var longest = batch.Append(next).Max(p => p.PromptIds.Length - (_prefixCache is null ? 0 : p.SharedPrefixLength));
        return (long)(batch.Count + 1) * longest * _decoder.VocabSize <= 1L << 28;
    }

    private void RunBatch(List<PendingClassification> batch)
    {
        var runOptions = new RunOptions();
        var sync = new Lock();
        var running = true;
        var terminate = () =>
        {
            // Stop the forward pass only when nobody in the batch still wants a result. The lock keeps a
            // late cancellation from touching the run options after they are disposed.
            lock (sync)
            {
                if (running && batch.TrueForAll(p => p.IsCancelled))
                {
                    runOptions.Terminate = true;
                }
            }
        };
        foreach (var pending in batch)
        {
            pending.Cancelled = terminate;
        }

        var shutdown = _shutdown.Token.UnsafeRegister(static o => ((Action)o!)(), (Action)(() =>
        {
            lock (sync)
            {
                if (running)
                {
                    runOptions.Terminate = true;
                }
            }
        }));
        try
        {
            var (prefillTokens, steps) = _runner.Run(batch, runOptions);
            EngineLog.BatchCompleted(_logger, batch.Count, prefillTokens, steps);
        }
#pragma warning disable CA1031 // The worker must survive any runtime failure: it becomes a value for each caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!batch.TrueForAll(p => p.IsCancelled))
            {
                EngineLog.BatchFailed(_logger, batch.Count, ex.GetType().Name, ex);
            }

            var error = _shutdown.IsCancellationRequested
                ? new GuardError(GuardErrorCode.ClassifierFailure, "The classifier shut down while this request ran.")
                : new GuardError(GuardErrorCode.ClassifierFailure, $"The guard model failed: {ex.GetType().Name}: {ex.Message}");
            foreach (var pending in batch)
            {
                pending.TryComplete(error);
            }
        }
        finally
        {
            shutdown.Dispose();
            lock (sync)
            {
                running = false;
                runOptions.Dispose();
            }

            foreach (var pending in batch)
            {
                pending.Cancelled = null;
                // A row cut short (cancelled, or a bug) must never leave its caller waiting.
                pending.TryComplete(new GuardError(GuardErrorCode.ClassifierFailure, "The batch ended without a result for this request."));
            }

            _prefixCache?.ReleaseEvicted();
        }
    }
}
