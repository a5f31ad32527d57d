using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>
/// A keyword fake guard for the chaos tests: <c>canary-violence</c> is unsafe (S1), anything else safe. For every user
/// message it judged safe it records the request id carried in the text (<c>rid-…</c>), so a test can check that the
/// upstream only saw ids with a recorded safe verdict. Optionally throws instead (a runtime fault of the classifier).
/// </summary>
internal sealed partial class RecordingClassifier(bool throws = false) : IGuardClassifier
{
    private readonly ConcurrentDictionary<string, byte> judgedSafe = new(StringComparer.Ordinal);

    public GuardModelInfo Model { get; } = new("recording-fake", ["llama-guard-3-8b", "llama-guard-3-1b"], IsDemo: false);

    /// <summary>Request ids whose user message this guard judged safe.</summary>
    public ICollection<string> JudgedSafe => judgedSafe.Keys;

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        if (throws)
        {
            throw new InvalidOperationException("injected classifier runtime fault");
        }

        var assessed = request.Messages[^1];
        var unsafeText = assessed.Content.Contains("canary-violence", StringComparison.Ordinal);
        if (!unsafeText && assessed.Role == ChatRole.User && RequestIdPattern().Match(assessed.Content) is { Success: true } id)
        {
            judgedSafe.TryAdd(id.Value, 0);
        }

        string[] codes = unsafeText ? ["S1"] : [];
        return ValueTask.FromResult<Result<GuardClassification>>(new GuardClassification
        {
            Outcome = unsafeText ? GuardOutcome.Unsafe : GuardOutcome.Safe,
            Categories = codes,
            UnsafeProbability = unsafeText ? 0.97f : 0.02f,
            CategoryScores = codes.ToDictionary(c => c, _ => 0.97f),
            RawOutput = unsafeText ? "unsafe\nS1" : "safe",
            PromptTokens = 10,
            PrefillTokens = 10,
            GeneratedTokens = 2,
            Timings = new ClassificationTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            Model = Model.Name,
        });
    }

    [GeneratedRegex("rid-[a-z0-9-]+")]
    internal static partial Regex RequestIdPattern();
}
