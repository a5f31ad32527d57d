namespace GuardGateway.Core.Tests;

public sealed class CoreDependencyTests
{
    [Fact]
    public void CoreAssembly_References_NoAspNetGrpcOrOnnx()
    {
        var references = typeof(GuardGateway.Core.Moderation.ModerationPipeline).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name =>
            name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || name.StartsWith("Grpc", StringComparison.Ordinal)
            || name.StartsWith("Google.Protobuf", StringComparison.Ordinal)
            || name.Contains("OnnxRuntime", StringComparison.Ordinal));
    }
}
