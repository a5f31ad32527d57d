using System.Security.Cryptography;
using System.Text.Json;
using GuardGateway.Inference.Models;
using GuardGateway.Inference.Options;
using GuardGateway.ModelForge;
using GuardGateway.TestUtilities;

namespace GuardGateway.Cli.Tests;

public sealed class PinCommandTests
{
    private static string TinyModel => ForgedModelCache.GetOrCreate(RepositoryPaths.Cache, new TinyLlamaOptions(), TestTokenizerFile.Path).Directory;

    [Fact]
    public async Task Pin_ForgedModel_PrintsAppsettingsWithTheDigestOfEveryLoadedFile()
    {
        var result = await Guardctl.RunAsync("pin", "--model", TinyModel);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var pins = json.RootElement.GetProperty("Guard").GetProperty("Inference").GetProperty("Sha256")
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(["config.json", "guardgateway_model.json", "model.onnx", "model.onnx_data", "tokenizer.json"], pins.Keys);
        foreach (var (file, digest) in pins)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(TinyModel, file)))), digest);
        }
    }

    [Fact]
    public async Task Pin_EnvFormat_RoundTripsThroughOptionsAndLoadsWithRequirePins()
    {
        var result = await Guardctl.RunAsync("pin", "--model", TinyModel, "--format", "env");

        Assert.Equal(0, result.ExitCode);
        var options = new GuardInferenceOptions { ModelDirectory = TinyModel, RequirePins = true };
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("Guard__Inference__Sha256Pins__", line, StringComparison.Ordinal);
            options.Sha256Pins.Add(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        }

        var pins = ModelPins.From(options).GetValueOrThrow();
        Assert.Equal(5, pins.Digests.Count);
        Assert.True(GuardModelLoader.Load(TinyModel, null, pins, CancellationToken.None).IsSuccess);
    }

    [Fact]
    public async Task Pin_HelmFormat_ValuesMapWithQuotedDigests()
    {
        var result = await Guardctl.RunAsync("pin", "--model", TinyModel, "--format", "helm");

        Assert.Equal(0, result.ExitCode);
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(TinyModel, "model.onnx_data"))));
        Assert.StartsWith("model:\n  sha256:\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"    \"model.onnx_data\": \"{digest}\"\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pin_MissingDirectory_EnvironmentExitCode()
    {
        var result = await Guardctl.RunAsync("pin", "--model", "/nonexistent/model");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Model directory not found", result.StandardError, StringComparison.Ordinal);
    }
}
