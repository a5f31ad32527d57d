using System.Collections.Concurrent;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.TextSafety.Tests.Fakes;

/// <summary>
/// A stub guard: unsafe (S1) when the assessed (last) message contains a canary, safe otherwise; PromptTooLong
/// when the conversation has more than <paramref name="maxChars"/> characters. Records every request.
/// </summary>
public sealed class KeywordGuardClassifier(IReadOnlyCollection<string> canaries, int maxChars = int.MaxValue) : IGuardClassifier
{
    public ConcurrentQueue<GuardClassificationRequest> Requests { get; } = new();

    public GuardModelInfo Model { get; } = new("keyword-stub", ["llama-guard-3-8b"], IsDemo: true);

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Enqueue(request);
        if (request.Messages.Sum(m => m.Content.Length) > maxChars)
        {
            return ValueTask.FromResult<Result<GuardClassification>>(new GuardError(GuardErrorCode.PromptTooLong, "The prompt is over the limit."));
        }

        var assessed = request.Messages[^1].Content;
        var hit = canaries.Any(c => assessed.Contains(c, StringComparison.Ordinal));
        return ValueTask.FromResult<Result<GuardClassification>>(new GuardClassification
        {
            Outcome = hit ? GuardOutcome.Unsafe : GuardOutcome.Safe,
            Categories = hit ? ["S1"] : [],
            UnsafeProbability = hit ? 0.99f : 0.01f,
            CategoryScores = new Dictionary<string, float>(),
            RawOutput = hit ? "unsafe\nS1" : "safe",
            PromptTokens = 1,
            PrefillTokens = 1,
            GeneratedTokens = 1,
            Timings = new ClassificationTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            Model = "keyword-stub",
        });
    }
}
