using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Policies.Tests.Infrastructure;

/// <summary>
/// Says S1 is unsafe (P = 0.9) and echoes S1's prompt text as its raw output, so a test can see which policy
/// the request was built from.
/// </summary>
public sealed class PromptEchoClassifier : IGuardClassifier
{
    public GuardModelInfo Model { get; } = new("echo-guard", ["llama-guard-3-8b", "llama-guard-3-1b"], IsDemo: true);

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        Result<GuardClassification> result = new GuardClassification
        {
            Outcome = GuardOutcome.Unsafe,
            Categories = ["S1"],
            UnsafeProbability = 0.9f,
            CategoryScores = new Dictionary<string, float>(),
            RawOutput = request.Categories!.Single(c => c.Code == "S1").Text,
            PromptTokens = 1,
            PrefillTokens = 1,
            GeneratedTokens = 1,
            Timings = new ClassificationTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            Model = Model.Name,
        };
        return ValueTask.FromResult(result);
    }
}
