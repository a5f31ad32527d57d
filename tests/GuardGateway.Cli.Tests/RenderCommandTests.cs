using System.Text.Json;
using GuardGateway.TestUtilities;

namespace GuardGateway.Cli.Tests;

public sealed class RenderCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("guardctl-render-");

    public static TheoryData<int> Cases => GoldenPrompts.Indexes();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Render_GoldenCase_PrintsExactPromptAndIds(int index)
    {
        // The golden entry itself is a valid case file (extra keys prompt/prompt_ids are allowed).
        using var golden = JsonDocument.Parse(File.ReadAllText(GoldenPrompts.FilePath));
        var casePath = Write("case.json", golden.RootElement[index].GetRawText());

        var result = await Guardctl.RunAsync("render", "--tokenizer", TestTokenizerFile.Path, "--case", casePath);

        Assert.Equal(0, result.ExitCode);
        using var output = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(GoldenPrompts.All[index].Prompt, output.RootElement.GetProperty("prompt").GetString());
        Assert.Equal(GoldenPrompts.All[index].PromptIds, output.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Render_CustomCategoriesMap_RendersThemInOrder()
    {
        var casePath = Write("custom.json", """
            {"format": "llama-guard-3-1b", "messages": [{"role": "user", "content": "Which stock?"}],
             "categories": {"S1": "Financial advice.", "S2": {"prompt": "Medical advice.", "description": "Diagnoses."}},
             "include_descriptions": true}
            """);

        var result = await Guardctl.RunAsync("render", "--tokenizer", TestTokenizerFile.Path, "--case", casePath);

        Assert.Equal(0, result.ExitCode);
        using var output = JsonDocument.Parse(result.StandardOutput);
        Assert.Contains("S1: Financial advice.\nS2: Medical advice.\nDiagnoses.\n<END UNSAFE", output.RootElement.GetProperty("prompt").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format": "llama-guard-3-8b", "messages": [{"role": "assistant", "content": "hi"}]}""", "alternate")]
    [InlineData("""{"format": "llama-guard-3-8b", "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}""", "alternate")]
    [InlineData("""{"format": "llama-guard-3-8b", "messages": []}""", "empty")]
    [InlineData("""{"format": "llama-guard-2", "messages": [{"role": "user", "content": "hi"}]}""", "unknown format")]
    [InlineData("""{"format": "llama-guard-3-1b", "excluded_category_keys": ["S14"], "messages": [{"role": "user", "content": "hi"}]}""", "Excluded category key 'S14'")]
    [InlineData("""{"format": "llama-guard-3-8b", "messages": [{"role": "system", "content": "hi"}]}""", "role 'system'")]
    [InlineData("""{"format": "llama-guard-3-8b", "messages": [{"role": "user", "content": "hi"}], "extra": 1}""", "unknown key 'extra'")]
    [InlineData("""{"format": """, "invalid JSON")]
    public async Task Render_InvalidCase_ExitsNonZeroWithOneLineError(string json, string expected)
    {
        var casePath = Write("bad.json", json);

        var result = await Guardctl.RunAsync("render", "--tokenizer", TestTokenizerFile.Path, "--case", casePath);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingTokenizer_ExitsWithEnvironmentError()
    {
        var casePath = Write("ok.json", """{"format": "llama-guard-3-8b", "messages": [{"role": "user", "content": "hi"}]}""");

        var result = await Guardctl.RunAsync("render", "--tokenizer", Path.Combine(_work.FullName, "none.json"), "--case", casePath);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not found", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
