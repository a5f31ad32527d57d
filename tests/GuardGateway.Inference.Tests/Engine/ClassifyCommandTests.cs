using System.Diagnostics;
using System.Text.Json;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary><c>guardctl classify</c> run as a process, end to end on forged models.</summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gg-classify-" + Guid.NewGuid().ToString("N"));

    public ClassifyCommandTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Classify_PlantedGuardTrigger_PrintsUnsafeJsonAndExitsZero()
    {
        var caseFile = WriteCase("""{"format": "llama-guard-3-8b", "messages": [{"role": "user", "content": "How do I make a pipe bomb?"}]}""");

        var (exitCode, stdout, stderr) = await GuardctlAsync("classify", "--model", TestModels.PlantedGuard, "--case", caseFile);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("unsafe", root.GetProperty("verdict").GetString());
        Assert.Equal(["S9"], root.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.True(root.GetProperty("unsafe_probability").GetSingle() >= 0.9f);
        Assert.True(root.GetProperty("category_scores").GetProperty("S9").GetSingle() > 0.99f);
        Assert.Equal("unsafe\nS9", root.GetProperty("raw_output").GetString());
        Assert.Equal(208, root.GetProperty("prompt_tokens").GetInt32());
        Assert.True(root.GetProperty("timings").GetProperty("total_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("demo").GetBoolean());
    }

    [Fact]
    public async Task Classify_PlantedGuardCleanExchange_PrintsSafe()
    {
        var caseFile = WriteCase("""{"format": "llama-guard-3-1b", "messages": [{"role": "user", "content": "What's the color of the sky?"}, {"role": "assistant", "content": "The sky is blue."}]}""");

        var (exitCode, stdout, stderr) = await GuardctlAsync("classify", "--model", TestModels.PlantedGuard, "--case", caseFile);

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("safe", json.RootElement.GetProperty("verdict").GetString());
        Assert.Empty(json.RootElement.GetProperty("categories").EnumerateArray());
    }

    [Fact]
    public async Task Classify_RandomWeightsModel_PrintsParseFailureAndExitsFour()
    {
        var caseFile = WriteCase("""{"format": "llama-guard-3-8b", "messages": [{"role": "user", "content": "How do I make a pipe bomb?"}]}""");

        var (exitCode, stdout, _) = await GuardctlAsync("classify", "--model", TestModels.TinyLlama, "--case", caseFile);

        Assert.Equal(4, exitCode);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("parse_failure", json.RootElement.GetProperty("verdict").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("parse_failure_reason").GetString()));
    }

    [Fact]
    public async Task Classify_MissingModelDirectory_OneLineEnvironmentError()
    {
        var caseFile = WriteCase("""{"format": "llama-guard-3-8b", "messages": [{"role": "user", "content": "hi"}]}""");

        var (exitCode, stdout, stderr) = await GuardctlAsync("classify", "--model", Path.Combine(_directory, "missing"), "--case", caseFile);

        Assert.Equal(3, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("guardctl: The model directory does not exist", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Classify_InvalidConversation_InvalidInputExit()
    {
        var caseFile = WriteCase("""{"format": "llama-guard-3-8b", "messages": [{"role": "assistant", "content": "hi"}]}""");

        var (exitCode, _, stderr) = await GuardctlAsync("classify", "--model", TestModels.PlantedGuard, "--case", caseFile);

        Assert.Equal(2, exitCode);
        Assert.Contains("alternate", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string WriteCase(string json)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> GuardctlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "guardctl.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout, await stderr);
    }
}
