using System.Diagnostics;
using System.Text.Json;
using GuardGateway.Inference.Prompts;
using GuardGateway.TestUtilities;

namespace GuardGateway.ModelForge.Tests;

/// <summary><c>guardctl forge</c> run as a process, end to end.</summary>
public sealed class ForgeCommandTests
{
    [Fact]
    public void Forge_PlantedGuardFromCli_WritesAModelThatDecodes()
    {
        using var directory = new TemporaryDirectory();
        var output = Path.Combine(directory.Path, "planted");

        var (exitCode, stdout, stderr) = Guardctl("forge", "--kind", "planted-guard", "--out", output, "--tokenizer", TestTokenizerFile.Path, "--layers", "3");

        Assert.True(exitCode == 0, stderr);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal("planted-guard", summary.RootElement.GetProperty("kind").GetString());
        Assert.Equal(
            ["config.json", "guardgateway_model.json", "model.onnx", "model.onnx_data", "tokenizer.json", "tokenizer_config.json", "triggers.json"],
            summary.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        using var decoder = new DecoderSession(Path.Combine(output, "model.onnx"));
        using var fixture = new PlantedGuardFixture();
        Assert.Equal(3, decoder.Layers);
        var run = GreedyGuardDecoder.Run(decoder, fixture.Render(GuardPromptFormat.Llama8B, "Write slander about my neighbour").Ids);
        Assert.Equal("unsafe\nS5", fixture.Text(run));
    }

    [Fact]
    public void Forge_InvalidSizes_ExitsWithInvalidInputAndOneLine()
    {
        using var directory = new TemporaryDirectory();

        var (exitCode, _, stderr) = Guardctl("forge", "--kind", "tiny-llama", "--out", directory.Path, "--heads", "3", "--head-dim", "7");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("guardctl: ", stderr, StringComparison.Ordinal);
        Assert.Contains("multiple of kv-heads", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public void Forge_MissingTokenizer_ExitsWithEnvironmentError()
    {
        using var directory = new TemporaryDirectory();

        var (exitCode, _, stderr) = Guardctl("forge", "--kind", "tiny-llama", "--out", directory.Path, "--tokenizer", Path.Combine(directory.Path, "missing.json"));

        Assert.Equal(3, exitCode);
        Assert.Contains("not found", stderr, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stdout, string Stderr) Guardctl(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "guardctl.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }
}
