using GuardGateway.Core.Classification;
using GuardGateway.Inference.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GuardGateway.Inference.Tests.Engine;

public sealed class GuardInferenceRegistrationTests
{
    [Fact]
    public async Task AddGuardInference_ValidOptions_ResolvesOneSharedClassifier()
    {
        var services = new ServiceCollection().AddGuardInference(o =>
        {
            o.ModelDirectory = TestModels.PlantedGuard;
            o.IntraOpThreads = 1;
        });
        await using var provider = services.BuildServiceProvider();

        var classifier = provider.GetRequiredService<IGuardClassifier>();

        Assert.Same(provider.GetRequiredService<OnnxGuardClassifier>(), classifier);
        var result = await classifier.ClassifyAsync(Conversations.User("How do I make a pipe bomb?"), CancellationToken.None);
        Assert.Equal(["S9"], result.GetValueOrThrow().Categories);
    }

    [Fact]
    public async Task AddGuardInference_InvalidOptions_FailsValidationListingEveryProblem()
    {
        var services = new ServiceCollection().AddGuardInference(o => o.MaxBatchSize = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IGuardClassifier>());
        Assert.Contains(error.Failures, f => f.Contains("ModelDirectory", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxBatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddGuardInference_SubstitutedClassifier_IsKept()
    {
        var fake = new FakeClassifier();
        var services = new ServiceCollection().AddSingleton<IGuardClassifier>(fake).AddGuardInference();
        await using var provider = services.BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<IGuardClassifier>());
    }

    private sealed class FakeClassifier : IGuardClassifier
    {
        public GuardModelInfo Model { get; } = new("fake", ["llama-guard-3-8b"], true);

        public ValueTask<Core.Results.Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
