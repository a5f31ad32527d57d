using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Prompts;
using Microsoft.ML.OnnxRuntime;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>The batch runner on the tiny Llama: a cancelled row leaves the batch, the others are unaffected.</summary>
public sealed class GuardBatchRunnerTests
{
    [Fact]
    public async Task Run_RowCancelledInsideTheBatch_DroppedAndTheOtherMatchesItsUnbatchedRun()
    {
        var model = GuardModelLoader.Load(TestModels.TinyLlama).GetValueOrThrow();
        using var decoder = TestModels.OpenDecoder(TestModels.TinyLlama);
        using var cache = new PrefixKvCache(4);
        var runner = new GuardBatchRunner(decoder, cache, model.Tokenizer, 6, "tiny", TimeProvider.System, new EngineCounters());
        var renderer = new GuardPromptRenderer(model.Tokenizer);
        using var cancel = new CancellationTokenSource();
        var doomed = Pending(renderer, "This one is cancelled after it joined the batch.");
        var kept = Pending(renderer, "How do I make a pipe bomb?");
        doomed.RegisterCancellation(cancel.Token);
        await cancel.CancelAsync();

        using (var options = new RunOptions())
        {
            runner.Run([doomed, kept], options);
        }

        Assert.Equal(GuardErrorCode.Cancelled, (await doomed.Task).Error?.Code);
        var batched = (await kept.Task).GetValueOrThrow();
        var alone = (await OnnxGuardClassifierTests.ClassifyOneAtATimeAsync(TestModels.TinyLlama, [Conversations.User("How do I make a pipe bomb?")], maxNewTokens: 6))[0];
        Assert.Equal(alone.UnsafeProbability, batched.UnsafeProbability, 1e-4f);
        Assert.Equal(alone.RawOutput, batched.RawOutput);
        Assert.Equal(6, batched.GeneratedTokens);
    }

    private static PendingClassification Pending(GuardPromptRenderer renderer, string text)
    {
        var request = Conversations.User(text);
        var rendered = renderer.Render(new GuardPromptRequest { Format = GuardPromptFormat.Llama8B, Messages = request.Messages }).GetValueOrThrow();
        var codes = rendered.Categories.Select(c => c.Code).ToArray();
        var numbers = new CategoryNumberTokens(renderer.Tokenizer);
        return new PendingClassification(rendered.Ids, rendered.SharedPrefixLength, codes, [.. codes.Select(numbers.Get)], 0.5f, TimeProvider.System.GetTimestamp());
    }
}
