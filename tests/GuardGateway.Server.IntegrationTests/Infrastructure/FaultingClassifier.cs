using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>A guard that never gives a verdict: it returns an error value or throws, as configured.</summary>
internal sealed class FaultingClassifier(GuardErrorCode? error, bool throws = false) : IGuardClassifier
{
    public GuardModelInfo Model { get; } = new("faulting-fake", ["llama-guard-3-8b", "llama-guard-3-1b"], IsDemo: false);

    public ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        if (throws)
        {
            throw new InvalidOperationException("injected classifier fault");
        }

        return ValueTask.FromResult<Result<GuardClassification>>(new GuardError(error ?? GuardErrorCode.ClassifierFailure, "injected fault"));
    }
}
