using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.DependencyInjection;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GuardGateway.Backends.Tests.Configuration;

public sealed class BackendConfigurationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddGuardBackends(configuration.GetSection("Gateway")).BuildServiceProvider();
    }

    [Fact]
    public void AddGuardBackends_ConfigurationList_BindsKindsModelsAndNestedOptions()
    {
        using var services = Build(new()
        {
            ["Gateway:Backends:0:Name"] = "vllm",
            ["Gateway:Backends:0:Kind"] = "openai",
            ["Gateway:Backends:0:Url"] = "http://127.0.0.1:8000",
            ["Gateway:Backends:0:Models:0"] = "llama-3-8b",
            ["Gateway:Backends:0:Models:1"] = "llama-3-70b",
            ["Gateway:Backends:0:AttemptTimeout"] = "00:00:05",
            ["Gateway:Backends:0:Retry:MaxAttempts"] = "2",
            ["Gateway:Backends:1:Name"] = "triton",
            ["Gateway:Backends:1:Kind"] = "kserve",
            ["Gateway:Backends:1:Url"] = "http://127.0.0.1:8001",
            ["Gateway:Backends:1:Models:0"] = "*",
            ["Gateway:Backends:1:KServe:InputEncoding"] = "RawContents",
            ["Gateway:Backends:1:Concurrency:MaxConcurrentCalls"] = "4",
        });

        var options = services.GetRequiredService<IOptions<GuardBackendsOptions>>().Value;
        var router = services.GetRequiredService<IChatBackendRouter>();

        Assert.Equal([BackendKind.OpenAi, BackendKind.KServe], options.Backends.Select(b => b.Kind!.Value));
        Assert.Equal(["llama-3-8b", "llama-3-70b"], options.Backends[0].Models);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Backends[0].AttemptTimeout);
        Assert.Equal(2, options.Backends[0].Retry.MaxAttempts);
        Assert.Equal(KServeTensorEncoding.RawContents, options.Backends[1].KServe.InputEncoding);
        Assert.Equal(4, options.Backends[1].Concurrency.MaxConcurrentCalls);
        Assert.Equal(["vllm", "triton"], router.Backends.Select(b => b.Name));
        Assert.Equal(["llama-3-8b", "llama-3-70b"], router.ModelNames);
    }

    [Fact]
    public void AddGuardBackends_InvalidConfiguration_EveryProblemReportedAtOnce()
    {
        using var services = Build(new()
        {
            ["Gateway:Backends:0:Name"] = "a b",
            ["Gateway:Backends:0:Url"] = "ftp://x",
            ["Gateway:Backends:1:Name"] = "dup",
            ["Gateway:Backends:1:Kind"] = "openai",
            ["Gateway:Backends:1:Url"] = "http://h",
            ["Gateway:Backends:1:Models:0"] = "m",
            ["Gateway:Backends:1:Retry:MaxAttempts"] = "5",
            ["Gateway:Backends:1:AttemptTimeout"] = "00:05:00",
            ["Gateway:Backends:2:Name"] = "dup",
            ["Gateway:Backends:2:Kind"] = "kserve",
            ["Gateway:Backends:2:Url"] = "http://h",
            ["Gateway:Backends:2:Models:0"] = "m",
            ["Gateway:Backends:2:KServe:TextInputName"] = "",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<GuardBackendsOptions>>().Value);

        var messages = failure.Failures.ToList();
        Assert.Contains(messages, m => m.StartsWith("Backends[0].Name", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Backends[0].Kind", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Backends[0].Url", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Backends[0].Models", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Backends[1].Retry", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Backends[1].TotalTimeout", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'dup' is used by another backend", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'m' is already routed", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Backends[2].KServe", StringComparison.Ordinal));
    }

    [Fact]
    public void AddGuardBackends_EmptyList_Rejected()
    {
        using var services = Build(new() { ["Gateway:Other"] = "x" });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IChatBackendRouter>());

        Assert.Contains("at least one backend", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExactNameThenDefault_UnknownWithoutDefaultIsModelNotRouted()
    {
        using var withDefault = Build(new()
        {
            ["Gateway:Backends:0:Name"] = "a", ["Gateway:Backends:0:Kind"] = "openai", ["Gateway:Backends:0:Url"] = "http://a", ["Gateway:Backends:0:Models:0"] = "m1",
            ["Gateway:Backends:1:Name"] = "b", ["Gateway:Backends:1:Kind"] = "openai", ["Gateway:Backends:1:Url"] = "http://b", ["Gateway:Backends:1:Models:0"] = "*",
        });
        using var withoutDefault = Build(new()
        {
            ["Gateway:Backends:0:Name"] = "a", ["Gateway:Backends:0:Kind"] = "openai", ["Gateway:Backends:0:Url"] = "http://a", ["Gateway:Backends:0:Models:0"] = "m1",
        });
        var router = withDefault.GetRequiredService<IChatBackendRouter>();
        var strict = withoutDefault.GetRequiredService<IChatBackendRouter>();

        Assert.Equal("a", router.Resolve("m1").GetValueOrThrow().Name);
        Assert.Equal("b", router.Resolve("M1").GetValueOrThrow().Name);
        Assert.Equal("b", router.Resolve("anything").GetValueOrThrow().Name);
        Assert.Equal("a", strict.Resolve("m1").GetValueOrThrow().Name);
        Assert.Equal(GuardErrorCode.ModelNotRouted, strict.Resolve("other").Error!.Code);
        Assert.Equal(GuardErrorCode.ModelNotRouted, strict.Resolve("").Error!.Code);
    }
}
