using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>A guard that judges input safe but never gives a verdict on output (an assessed assistant message): T2.</summary>
internal sealed class OutputFaultingClassifier : IGuardClassifier
{
    private int outputCalls;

    public int OutputCalls => Volatile.Read(ref outputCalls);

    public GuardModelInfo Model { get; } = new("output-faulting-fake", ["llama-guard-3-8b", "llama-guard-3-1b"], IsDemo: false);

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        if (request.Messages[^1].Role == ChatRole.Assistant)
        {
            Interlocked.Increment(ref outputCalls);
            return ValueTask.FromResult<Result<GuardClassification>>(new GuardError(GuardErrorCode.ClassifierFailure, "injected output fault"));
        }

        return ValueTask.FromResult<Result<GuardClassification>>(new GuardClassification
        {
            Outcome = GuardOutcome.Safe,
            Categories = [],
            UnsafeProbability = 0.01f,
            CategoryScores = new Dictionary<string, float>(),
            RawOutput = "safe",
            PromptTokens = 10,
            PrefillTokens = 10,
            GeneratedTokens = 1,
            Timings = new ClassificationTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            Model = Model.Name,
        });
    }
}
