using System.Diagnostics;
using GuardGateway.Core.Classification;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Options;

namespace GuardGateway.Bench;

/// <summary>Closed loop: <c>concurrency</c> clients each send the next request when the previous one returns.</summary>
internal static class BenchRunner
{
    public static async Task<BenchResult> RunAsync(string modelDirectory, BenchMode mode, int concurrency, int requests, TimeSpan limit, int threads, int maxNewTokens)
    {
        var options = new GuardInferenceOptions
        {
            ModelDirectory = modelDirectory,
            IntraOpThreads = threads,
            MaxBatchSize = mode.MaxBatchSize,
            BatchWindow = mode.MaxBatchSize > 1 ? TimeSpan.FromMilliseconds(5) : TimeSpan.Zero,
            PrefixCacheEnabled = mode.PrefixCache,
            LastPositionLogitsOnly = mode.LastPositionLogits,
            MaxNewTokens = maxNewTokens,
            QueueCapacity = 1024,
        };
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        var pool = BenchConversations.All;

        // Warm-up (JIT, ONNX Runtime kernels and, where enabled, the prefix cache) is not measured.
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, pool.Count)).Select(i => classifier.ClassifyAsync(pool[i], CancellationToken.None).AsTask()));
        var before = classifier.Statistics;

        var latencies = new List<double>(requests);
        var results = new List<GuardClassification>(requests);
        var failures = 0;
        var next = -1;
        var gate = new Lock();
        var deadline = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (deadline.Elapsed < limit)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= requests)
                {
                    return;
                }

                var started = Stopwatch.GetTimestamp();
                var result = await classifier.ClassifyAsync(pool[index % pool.Count], CancellationToken.None);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (gate)
                {
                    latencies.Add(ms);
                    if (result.IsSuccess)
                    {
                        results.Add(result.Value);
                    }
                    else
                    {
                        failures++;
                    }
                }
            }
        });
        await Task.WhenAll(clients);
        var seconds = deadline.Elapsed.TotalSeconds;
        var after = classifier.Statistics;

        latencies.Sort();
        return new BenchResult(
            mode,
            latencies.Count,
            seconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            results.Average(r => (double)r.PrefillTokens),
            results.Average(r => (double)r.PromptTokens),
            results.Average(r => r.Timings.Prefill.TotalMilliseconds),
            (double)(after.BatchedRequests - before.BatchedRequests) / Math.Max(1, after.Batches - before.Batches),
            failures);
    }

    /// <summary>Prefill tokens of the golden single_user prompt with the prefix cache warm.</summary>
    public static async Task<(int Prompt, int Prefill)> GoldenPrefillAsync(string modelDirectory, int threads)
    {
        var options = new GuardInferenceOptions { ModelDirectory = modelDirectory, IntraOpThreads = threads, MaxNewTokens = 1 };
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        var golden = BenchConversations.All[0];
        await classifier.ClassifyAsync(BenchConversations.All[1], CancellationToken.None);
        var result = (await classifier.ClassifyAsync(golden, CancellationToken.None)).GetValueOrThrow();
        return (result.PromptTokens, result.PrefillTokens);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
