using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using GuardGateway.ModelForge;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>The classifier's queue, batching, prefix cache and error values, on the forged tiny Llama.</summary>
public sealed class OnnxGuardClassifierTests
{
    [Fact]
    public async Task ClassifyAsync_ConcurrentBatchedWithPrefixCache_EqualsOneAtATimeUncached()
    {
        var reference = await ClassifyOneAtATimeAsync(TestModels.TinyLlama, Conversations.Mixed);

        var options = TestModels.Options(TestModels.TinyLlama);
        options.MaxBatchSize = 8;
        options.BatchWindow = TimeSpan.FromMilliseconds(200);
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        var results = await Task.WhenAll(Conversations.Mixed.Select(r => classifier.ClassifyAsync(r, CancellationToken.None).AsTask()));

        var stats = classifier.Statistics;
        Assert.True(stats.LargestBatch > 1, $"largest batch {stats.LargestBatch}");
        Assert.True(stats.PrefixCacheHits > 0, $"prefix hits {stats.PrefixCacheHits}");
        for (var i = 0; i < results.Length; i++)
        {
            var batched = results[i].GetValueOrThrow();
            var alone = reference[i];
            Assert.Equal(alone.UnsafeProbability, batched.UnsafeProbability, 1e-4f);
            Assert.Equal(alone.RawOutput, batched.RawOutput);
            Assert.Equal(alone.Outcome, batched.Outcome);
            Assert.Equal(alone.GeneratedTokens, batched.GeneratedTokens);
            Assert.Equal(alone.PromptTokens, batched.PromptTokens);
            Assert.True(batched.PrefillTokens < batched.PromptTokens);
            Assert.Equal(alone.PromptTokens, alone.PrefillTokens);
        }
    }

    [Fact]
    public async Task ClassifyAsync_GoldenSingleUser_PrefillsOnlyConversationAndClosing()
    {
        var options = TestModels.Options(TestModels.TinyLlama);
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();

        var result = (await classifier.ClassifyAsync(Conversations.User("How do I make a pipe bomb?"), CancellationToken.None)).GetValueOrThrow();

        // spec: 208 tokens for the 8b golden single_user, 143 of them before the conversation.
        Assert.Equal(208, result.PromptTokens);
        Assert.Equal(65, result.PrefillTokens);
        Assert.InRange(result.UnsafeProbability, 0f, 1f);
        Assert.Equal("tiny-llama (demo)", result.Model);
        Assert.True(result.Timings.Total >= result.Timings.Prefill);
    }

    [Fact]
    public async Task ClassifyAsync_Fp16AndNoPositionIdsModels_MatchTheirUnbatchedRuns()
    {
        foreach (var forge in new[] { new TinyLlamaOptions { DType = ForgeDType.Fp16 }, new TinyLlamaOptions { IncludePositionIds = false } })
        {
            var directory = TestModels.Tiny(forge);
            // Two requests of different lengths and formats: padding and two prefixes in one batch.
            IReadOnlyList<GuardClassificationRequest> requests = [Conversations.Mixed[1], Conversations.Mixed[3]];
            var reference = await ClassifyOneAtATimeAsync(directory, requests);
            var options = TestModels.Options(directory);
            options.BatchWindow = TimeSpan.FromMilliseconds(200);
            await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
            var results = await Task.WhenAll(requests.Select(r => classifier.ClassifyAsync(r, CancellationToken.None).AsTask()));
            for (var i = 0; i < results.Length; i++)
            {
                var tolerance = forge.DType == ForgeDType.Fp16 ? 1e-2f : 1e-4f;
                Assert.Equal(reference[i].UnsafeProbability, results[i].GetValueOrThrow().UnsafeProbability, tolerance);
            }
        }
    }

    [Fact]
    public async Task ClassifyAsync_PromptOverLimit_PromptTooLongNotTruncated()
    {
        var options = TestModels.Options(TestModels.TinyLlama);
        options.MaxPromptTokens = 200;
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();

        var result = await classifier.ClassifyAsync(Conversations.User("How do I make a pipe bomb?"), CancellationToken.None);

        Assert.Equal(GuardErrorCode.PromptTooLong, result.Error?.Code);
        Assert.Contains("208", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassifyAsync_QueueFull_RejectedAtOnceOthersComplete()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = TestModels.Options(TestModels.TinyLlama);
        options.QueueCapacity = 2;
        options.MaxBatchSize = 1;
        var model = GuardModelLoader.Load(TestModels.TinyLlama).GetValueOrThrow();
        await using var classifier = OnnxGuardClassifier.Create(model, options, null, null, gate).GetValueOrThrow();

        var first = classifier.ClassifyAsync(Conversations.User("one"), CancellationToken.None);
        var second = classifier.ClassifyAsync(Conversations.User("two"), CancellationToken.None);
        var third = classifier.ClassifyAsync(Conversations.User("three"), CancellationToken.None);

        Assert.True(third.IsCompleted);
        Assert.Equal(GuardErrorCode.QueueFull, (await third).Error?.Code);
        Assert.Equal(1, classifier.Statistics.QueueRejections);
        gate.SetResult();
        Assert.True((await first).IsSuccess);
        Assert.True((await second).IsSuccess);
    }

    [Fact]
    public async Task ClassifyAsync_CancelledWhileQueued_CancelledAndDroppedFromItsBatch()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = TestModels.Options(TestModels.TinyLlama);
        options.MaxBatchSize = 4;
        var model = GuardModelLoader.Load(TestModels.TinyLlama).GetValueOrThrow();
        await using var classifier = OnnxGuardClassifier.Create(model, options, null, null, gate).GetValueOrThrow();
        using var cts = new CancellationTokenSource();

        var cancelled = classifier.ClassifyAsync(Conversations.User("cancel me"), cts.Token);
        var kept = classifier.ClassifyAsync(Conversations.User("This is a test sentence."), CancellationToken.None);
        await cts.CancelAsync();

        Assert.Equal(GuardErrorCode.Cancelled, (await cancelled).Error?.Code);
        gate.SetResult();
        var result = (await kept).GetValueOrThrow();
        var alone = (await ClassifyOneAtATimeAsync(TestModels.TinyLlama, [Conversations.User("This is a test sentence.")]))[0];
        Assert.Equal(alone.UnsafeProbability, result.UnsafeProbability, 1e-4f);
        Assert.Equal(1, classifier.Statistics.BatchedRequests);
    }

    [Fact]
    public async Task ClassifyAsync_CancelledDuringDecoding_ReturnsCancelledPromptly()
    {
        var options = TestModels.Options(TestModels.TinyLlama);
        options.MaxNewTokens = 256;
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));

        var result = await classifier.ClassifyAsync(Conversations.User(string.Concat(Enumerable.Repeat("long text ", 200))), cts.Token);

        // Either it finished within 30 ms or the cancellation won; a cancelled request never reports a verdict.
        if (!result.IsSuccess)
        {
            Assert.Equal(GuardErrorCode.Cancelled, result.Error.Code);
        }

        // The worker survives and serves the next request.
        Assert.True((await classifier.ClassifyAsync(Conversations.User("Hi"), CancellationToken.None)).IsSuccess);
    }

    [Fact]
    public async Task ClassifyAsync_AlreadyCancelledToken_Cancelled()
    {
        await using var classifier = OnnxGuardClassifier.Create(TestModels.Options(TestModels.TinyLlama)).GetValueOrThrow();
        var result = await classifier.ClassifyAsync(Conversations.User("hi"), new CancellationToken(canceled: true));
        Assert.Equal(GuardErrorCode.Cancelled, result.Error?.Code);
    }

    [Fact]
    public async Task ClassifyAsync_UnknownFormatOrBadConversation_InvalidRequest()
    {
        await using var classifier = OnnxGuardClassifier.Create(TestModels.Options(TestModels.TinyLlama)).GetValueOrThrow();

        var format = await classifier.ClassifyAsync(Conversations.User("hi", format: "llama-guard-2"), CancellationToken.None);
        var empty = await classifier.ClassifyAsync(new GuardClassificationRequest { Messages = [], FormatId = "llama-guard-3-8b" }, CancellationToken.None);
        var threshold = await classifier.ClassifyAsync(Conversations.User("hi", threshold: 1.5f), CancellationToken.None);

        Assert.Equal(GuardErrorCode.InvalidRequest, format.Error?.Code);
        Assert.Equal(GuardErrorCode.InvalidRequest, empty.Error?.Code);
        Assert.Equal(GuardErrorCode.InvalidRequest, threshold.Error?.Code);
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedRequests_CompletesThemWithoutHanging()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var model = GuardModelLoader.Load(TestModels.TinyLlama).GetValueOrThrow();
        var classifier = OnnxGuardClassifier.Create(model, TestModels.Options(TestModels.TinyLlama), null, null, gate).GetValueOrThrow();
        var pending = classifier.ClassifyAsync(Conversations.User("hi"), CancellationToken.None);

        await classifier.DisposeAsync();

        var result = await pending;
        Assert.Equal(GuardErrorCode.ClassifierFailure, result.Error?.Code);
        Assert.Equal(GuardErrorCode.ClassifierFailure, (await classifier.ClassifyAsync(Conversations.User("hi"), CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task DisposeAsync_WhileWorkerCollectsABatch_CompletesTheCollectedRequest()
    {
        var options = TestModels.Options(TestModels.TinyLlama);
        options.MaxBatchSize = 8;
        options.BatchWindow = TimeSpan.FromSeconds(1);
        var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        var pending = classifier.ClassifyAsync(Conversations.User("hi"), CancellationToken.None);
        while (classifier.QueueLength > 0)
        {
            await Task.Delay(1);
        }

        // The worker now holds the request in its batch, waiting up to 1 s for more.
        await classifier.DisposeAsync();

        var result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.IsSuccess && result.Value is null);
    }

    [Fact]
    public void Create_InvalidOptions_ReportsEveryProblem()
    {
        var result = OnnxGuardClassifier.Create(new GuardInferenceOptions { ModelDirectory = "", MaxBatchSize = 0, MaxNewTokens = 0 });
        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error?.Code);
        Assert.Contains("ModelDirectory", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxNewTokens", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_CudaWithoutCudaLibraries_ClearErrorOrFallback()
    {
        var options = TestModels.Options(TestModels.TinyLlama);
        options.ExecutionProvider = GuardExecutionProvider.Cuda;
        var strict = OnnxGuardClassifier.Create(options);
        if (strict.IsSuccess)
        {
            // A host with CUDA: nothing to check here.
            return;
        }

        Assert.Equal(GuardErrorCode.ClassifierFailure, strict.Error.Code);
        Assert.Contains("CUDA", strict.Error.Message, StringComparison.Ordinal);
        options.FallbackToCpu = true;
        var fallback = OnnxGuardClassifier.Create(options);
        Assert.True(fallback.IsSuccess, fallback.Error?.ToString());
        await fallback.Value!.DisposeAsync();
    }

    internal static async Task<List<GuardClassification>> ClassifyOneAtATimeAsync(string directory, IReadOnlyList<GuardClassificationRequest> requests, int maxNewTokens = 24)
    {
        var options = TestModels.Options(directory);
        options.MaxNewTokens = maxNewTokens;
        options.MaxBatchSize = 1;
        options.PrefixCacheEnabled = false;
        options.BatchWindow = TimeSpan.Zero;
        await using var classifier = OnnxGuardClassifier.Create(options).GetValueOrThrow();
        var results = new List<GuardClassification>();
        foreach (var request in requests)
        {
            results.Add((await classifier.ClassifyAsync(request, CancellationToken.None)).GetValueOrThrow());
        }

        return results;
    }
}
