using GuardGateway.TestUtilities;
using Microsoft.Extensions.Configuration;

namespace GuardGateway.Server.IntegrationTests.Helm;

/// <summary>
/// The Helm chart cannot drift from the code silently: every environment variable it can set (defaults and the
/// production-shaped ci/realistic-values.yaml) binds to a real options property, read without helm
/// (scripts/check-helm.sh renders and lints the chart with a real helm).
/// </summary>
public sealed class HelmChartConfigurationTests
{
    private static readonly IConfiguration AppSettings = new ConfigurationBuilder()
        .AddJsonFile(RepositoryPaths.Combine("src", "GuardGateway.Server", "appsettings.json"))
        .Build();

    [Theory]
    [InlineData(null)]
    [InlineData("ci/realistic-values.yaml")]
    public void EnvironmentVariables_ChartValues_BindToServerOptions(string? valuesFile)
    {
        var variables = HelmChartEnvironment.Read(valuesFile);

        var problems = ConfigurationKeyCheck.Problems(variables, AppSettings);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Read_RealisticValues_FindsTemplateSecretAndConfigVariables()
    {
        var variables = HelmChartEnvironment.Read("ci/realistic-values.yaml").ToDictionary(v => v.Name, v => v.Value);

        // One of each way the chart sets a variable, so the reader cannot pass by reading nothing.
        Assert.Equal("http://0.0.0.0:50051", variables["Kestrel__Endpoints__Grpc__Url"]);
        Assert.Equal("cuda", variables["Guard__Inference__ExecutionProvider"]);
        Assert.Contains("Guard__Inference__Sha256Pins__0", variables.Keys);
        Assert.Contains("Guard__PoliciesPath", variables.Keys);
        Assert.Contains("Auth__PolicyOwnerKeys__0", variables.Keys);
        Assert.Equal("128", variables["Limits__MaxConcurrentRequests"]);
        Assert.Equal("00:00:10", variables["Guard__Classifier__Timeout"]);
        Assert.Equal("S11", variables["Auth__ProtectedCategories__3"]);
        Assert.Contains("Shutdown__GraceSeconds", variables.Keys); // a template expression: the value is not evaluated
    }

    [Theory]
    [InlineData("Guard__ModelPth", "/models")]
    [InlineData("Limits__MaxConcurentRequests", "8")]
    [InlineData("Limits__MaxConcurrentRequests", "many")]
    [InlineData("Auth__ClientKey__0", null)]
    [InlineData("Guard__Inference__ExecutionProvider", "gpu")]
    [InlineData("Guard__Classifier__Timeout", "soon")]
    [InlineData("Guard__Inference__Sha256Pins__model.onnx", null)]
    [InlineData("Kestrel__Endpoints__Grcp__Url", "http://0.0.0.0:50051")]
    [InlineData("Kestrel__Endpoints__Grpc__Protocols", "Http1")]
    [InlineData("Kestrel__Endpoints__Grpc__Adress", "http://0.0.0.0:50051")]
    [InlineData("Backend__0__Url", "http://127.0.0.1:8000")]
    [InlineData("shutdownTimeout", "30")]
    [InlineData("shutdownTimeoutSeconds", "30")]
    [InlineData("Shutdown__GraceSeconds", "thirty")]
    public void Problems_WrongKeyOrValue_Reported(string name, string? value)
    {
        var problems = ConfigurationKeyCheck.Problems([new ChartEnvironmentVariable(name, value)], AppSettings);

        Assert.Single(problems);
    }

    [Fact]
    public void Sections_OptionsTypes_AllServerSectionsFound()
    {
        Assert.Equal(
            ["Auth", "Guard", "Guard:Classifier", "Guard:Inference", "Http2Guard", "Limits", "Proxy", "Shutdown"],
            ConfigurationKeyCheck.Sections.Keys.Order(StringComparer.Ordinal));
    }
}
