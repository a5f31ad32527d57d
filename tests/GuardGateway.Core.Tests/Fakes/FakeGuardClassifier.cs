using System.Collections.Concurrent;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Tests.Fakes;

/// <summary>A classifier that answers from a function and records every request.</summary>
public sealed class FakeGuardClassifier(Func<GuardClassificationRequest, Result<GuardClassification>> answer) : IGuardClassifier
{
    public ConcurrentQueue<GuardClassificationRequest> Requests { get; } = new();

    public GuardModelInfo Model { get; } = new("fake-guard", ["llama-guard-3-8b", "llama-guard-3-1b"], IsDemo: true);

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Enqueue(request);
        return ValueTask.FromResult(answer(request));
    }

    public static GuardClassification Safe(float probability = 0.01f) => Classification(GuardOutcome.Safe, probability);

    public static GuardClassification Unsafe(float probability, params string[] codes) => Classification(GuardOutcome.Unsafe, probability, codes);

    public static GuardClassification Classification(GuardOutcome outcome, float probability, string[]? codes = null, IReadOnlyDictionary<string, float>? scores = null, string? parseFailure = null) => new()
    {
        Outcome = outcome,
        Categories = codes ?? [],
        UnsafeProbability = probability,
        CategoryScores = scores ?? new Dictionary<string, float>(),
        RawOutput = outcome == GuardOutcome.Safe ? "safe" : "unsafe\n" + string.Join(',', codes ?? []),
        ParseFailureReason = parseFailure,
        PromptTokens = 200,
        PrefillTokens = 60,
        GeneratedTokens = 4,
        Timings = new ClassificationTimings(TimeSpan.Zero, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(8)),
        Model = "fake-guard",
    };
}
