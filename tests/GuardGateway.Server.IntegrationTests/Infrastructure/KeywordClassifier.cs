using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>
/// A deterministic fake guard: the assessed (last) message is unsafe for every keyword it contains, with the
/// mapped code, else safe. Records how many calls it served.
/// </summary>
internal sealed class KeywordClassifier(IReadOnlyDictionary<string, string> keywords, bool isDemo = false, IReadOnlyList<string>? formats = null) : IGuardClassifier
{
    private int calls;

    /// <summary>The default fake: <c>canary-violence</c> -> S1, <c>canary-advice</c> -> S6, <c>canary-privacy</c> -> S7.</summary>
    public static KeywordClassifier Default(bool isDemo = false, IReadOnlyList<string>? formats = null) => new(
        new Dictionary<string, string>
        {
            ["canary-violence"] = "S1",
            ["canary-advice"] = "S6",
            ["canary-privacy"] = "S7",
        },
        isDemo,
        formats);

    public int Calls => Volatile.Read(ref calls);

    public GuardModelInfo Model { get; } = new(isDemo ? "keyword-fake (demo)" : "keyword-fake", formats ?? ["llama-guard-3-8b", "llama-guard-3-1b"], isDemo);

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromResult<Result<GuardClassification>>(new GuardError(GuardErrorCode.Cancelled, "cancelled"));
        }

        var content = request.Messages[^1].Content;
        var codes = keywords.Where(k => content.Contains(k.Key, StringComparison.Ordinal)).Select(k => k.Value).Distinct().ToList();
        var unsafeProbability = codes.Count > 0 ? 0.97f : 0.02f;
        var classification = new GuardClassification
        {
            Outcome = codes.Count > 0 ? GuardOutcome.Unsafe : GuardOutcome.Safe,
            Categories = codes,
            UnsafeProbability = unsafeProbability,
            CategoryScores = codes.ToDictionary(c => c, _ => unsafeProbability),
            RawOutput = codes.Count > 0 ? "unsafe\n" + string.Join(',', codes) : "safe",
            PromptTokens = 100,
            PrefillTokens = 100,
            GeneratedTokens = 2,
            Timings = new ClassificationTimings(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4)),
            Model = Model.Name,
        };
        return ValueTask.FromResult<Result<GuardClassification>>(classification);
    }
}
