using System.Security.Cryptography;
using GuardGateway.Contracts.V1;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Models;
using GuardGateway.ModelForge;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Model;
using GuardGateway.TestUtilities;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// RELIABILITY.md T25 end to end: digests configured as the Helm chart does (the env-var-safe
/// <c>Guard:Inference:Sha256Pins</c> list) are checked by the real engine before its session exists; a
/// tampered model leaves the server up, NOT_SERVING and failing closed.
/// </summary>
public sealed class ModelPinningTests
{
    [Fact]
    public async Task Start_PinnedGraphTampered_NotServingFailClosedAndNamesTheFile()
    {
        using var model = CopyOfPlantedGuard();
        var configuration = PinConfiguration(model.Path, requirePins: true);
        FlipMiddleByte(Path.Combine(model.Path, Forge.ModelFileName));

        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseEngine = true,
            Configuration = configuration,
            ExpectedErrorEventIds = new HashSet<int> { 202, 103 },
        });
        await host.WaitForModelAsync();

        var state = host.Services.GetRequiredService<GuardModelState>();
        var health = await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        var response = await host.Moderation.ModerateAsync(Conversations.Input("hello"), GatewayHost.With(TestKeys.Client));

        Assert.Null(state.Classifier);
        Assert.Equal(GuardErrorCode.ModelInvalid, state.Failure?.Code);
        Assert.Contains($"'{Forge.ModelFileName}' does not match its SHA-256", state.Failure?.Message, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        Assert.Equal(Decision.Block, response.Decision);
    }

    [Fact]
    public async Task Start_EveryLoadedFilePinnedAndRequired_Serving()
    {
        using var model = CopyOfPlantedGuard();

        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseEngine = true,
            Configuration = PinConfiguration(model.Path, requirePins: true),
        });
        await host.WaitForModelAsync();

        var state = host.Services.GetRequiredService<GuardModelState>();
        var health = await new Grpc.Health.V1.Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        Assert.True(state.Classifier is not null, state.Failure?.Message);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private static TempDirectory CopyOfPlantedGuard()
    {
        var source = ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, new PlantedGuardOptions()).Directory;
        var copy = new TempDirectory();
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        return copy;
    }

    private static Dictionary<string, string?> PinConfiguration(string directory, bool requirePins)
    {
        var files = ModelPinning.LoadedFiles(directory, null, CancellationToken.None).GetValueOrThrow();
        Assert.Contains(Forge.ModelFileName, files);
        var configuration = new Dictionary<string, string?>
        {
            ["Guard:ModelPath"] = directory,
            ["Guard:Inference:RequirePins"] = requirePins ? "true" : "false",
        };
        for (var i = 0; i < files.Count; i++)
        {
            var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, files[i]))));
            configuration[$"Guard:Inference:Sha256Pins:{i}"] = $"{files[i]}={digest}";
        }

        return configuration;
    }

    private static void FlipMiddleByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
