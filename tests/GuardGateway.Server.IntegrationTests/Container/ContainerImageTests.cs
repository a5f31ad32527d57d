using System.Text.RegularExpressions;
using GuardGateway.Server.IntegrationTests.Helm;
using GuardGateway.TestUtilities;
using Microsoft.Extensions.Configuration;

namespace GuardGateway.Server.IntegrationTests.Container;

/// <summary>
/// The Dockerfile and the Helm chart that runs its image cannot drift apart silently: the image's environment binds to
/// real options, it listens on the ports the chart exposes, runs as the chart's user, forges the demo guard where the
/// chart mounts a writable volume, ships the policies where the server looks for them, and starts the server assembly.
/// scripts/check-container.sh runs the same publish output the way the image does.
/// </summary>
public sealed partial class ContainerImageTests
{
    private static readonly ContainerImageDefinition Image = ContainerImageDefinition.Read();

    private static readonly IConfiguration AppSettings = new ConfigurationBuilder()
        .AddJsonFile(RepositoryPaths.Combine("src", "GuardGateway.Server", "appsettings.json"))
        .Build();

    private static string Env(string name) =>
        Image.Environment.SingleOrDefault(v => v.Name == name)?.Value ?? throw new Xunit.Sdk.XunitException($"the Dockerfile sets no {name}");

    [Fact]
    public void Environment_Dockerfile_BindsToServerOptions()
    {
        Assert.NotEmpty(Image.Environment);

        var problems = ConfigurationKeyCheck.Problems(Image.Environment, AppSettings);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Ports_Dockerfile_ListensOnAllInterfacesAtTheChartPorts()
    {
        var values = HelmChartEnvironment.LoadValues(null);
        var service = (Dictionary<object, object?>)values["service"]!;
        int[] chartPorts = [Convert.ToInt32(service["grpcPort"], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(service["httpPort"], System.Globalization.CultureInfo.InvariantCulture)];

        Assert.Equal(chartPorts, Image.ExposedPorts);
        Assert.Equal($"http://0.0.0.0:{chartPorts[0]}", Env("Kestrel__Endpoints__Grpc__Url"));
        Assert.Equal("Http2", Env("Kestrel__Endpoints__Grpc__Protocols"));
        Assert.Equal($"http://0.0.0.0:{chartPorts[1]}", Env("Kestrel__Endpoints__Http__Url"));
        Assert.Equal("Http1", Env("Kestrel__Endpoints__Http__Protocols"));
    }

    [Fact]
    public void User_Dockerfile_IsTheChartsNonRootUser()
    {
        var deployment = File.ReadAllText(Path.Combine(HelmChartEnvironment.ChartDirectory, "templates", "deployment.yaml"));
        var uid = SecurityContextId().Match(deployment).Groups[1].Value;

        Assert.NotEqual("0", uid);
        Assert.Equal($"{uid}:{uid}", Image.User);
        Assert.Contains($"runAsGroup: {uid}", deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoCache_Dockerfile_UnderTheChartsWritableTmpAndSameAsChart()
    {
        var chart = HelmChartEnvironment.Read(null).Single(v => v.Name == "Guard__DemoModelCachePath");
        var deployment = File.ReadAllText(Path.Combine(HelmChartEnvironment.ChartDirectory, "templates", "deployment.yaml"));

        Assert.Equal(chart.Value, Env("Guard__DemoModelCachePath"));
        Assert.StartsWith("/tmp/", Env("Guard__DemoModelCachePath"), StringComparison.Ordinal);
        Assert.Contains("mountPath: /tmp", deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_Dockerfile_PublishesTheServerWithPoliciesBesideIt()
    {
        Assert.Equal("/app", Image.WorkingDirectory);
        Assert.Equal(["dotnet", "GuardGateway.Server.dll"], Image.EntryPoint);
        var build = string.Join('\n', Image.BuildCommands);
        Assert.Contains("--locked-mode", build, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/GuardGateway.Server/GuardGateway.Server.csproj -c Release", build, StringComparison.Ordinal);
        Assert.Contains("-o /app", build, StringComparison.Ordinal);
        // The server finds policies/ upward from its own folder (ServerPaths) when Guard:PoliciesPath is empty.
        Assert.Contains("cp -r policies /app/policies", build, StringComparison.Ordinal);
        Assert.Equal("GuardGateway.Server", typeof(GuardGateway.Server.Options.GuardOptions).Assembly.GetName().Name);
    }

    [Fact]
    public void Parse_ContinuationsCommentsAndStages_ReadsTheLastStageOnly()
    {
        var image = ContainerImageDefinition.Parse("""
            FROM sdk AS build
            ENV Build__Only=1
            RUN dotnet publish \
             # a comment inside a continuation
             -o /out
            FROM runtime
            WORKDIR /srv
            ENV A__B=1 \
                C__D="two words"
            EXPOSE 1 2/tcp
            USER 7:7
            ENTRYPOINT ["dotnet", "x.dll"]
            """);

        Assert.Equal([new ChartEnvironmentVariable("A__B", "1"), new ChartEnvironmentVariable("C__D", "\"two words\"")], image.Environment);
        Assert.Equal([1, 2], image.ExposedPorts);
        Assert.Equal("7:7", image.User);
        Assert.Equal("/srv", image.WorkingDirectory);
        Assert.Equal(["dotnet", "x.dll"], image.EntryPoint);
        Assert.Equal(["dotnet publish -o /out"], image.BuildCommands);
    }

    [GeneratedRegex(@"runAsUser: (\d+)")]
    private static partial Regex SecurityContextId();
}
