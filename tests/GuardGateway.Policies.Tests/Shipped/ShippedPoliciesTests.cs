using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Inference.Prompts;
using GuardGateway.Policies.Parsing;
using GuardGateway.TestUtilities;

namespace GuardGateway.Policies.Tests.Shipped;

public sealed class ShippedPoliciesTests
{
    private static readonly string PoliciesDirectory = RepositoryPaths.Combine("policies");

    private static readonly string[] FileNames = [.. Directory.EnumerateFiles(PoliciesDirectory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Files => [.. FileNames];

    [Fact]
    public async Task PoliciesDirectory_Lint_NoDiagnosticsAtAll()
    {
        var diagnostics = await PolicyLinter.LintAsync(PoliciesDirectory, defaultPolicyId: "default");

        Assert.Empty(diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void PoliciesDirectory_HoldsTheShippedSet()
    {
        Assert.Equal(["custom-example.yaml", "default-1b.yaml", "default.yaml", "permissive.yaml", "strict.yaml"], FileNames);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ShippedFile_Parses_FailClosedAndIdMatchesFileName(string file)
    {
        var policy = Load(file);

        Assert.Equal(FailMode.Closed, policy.OnError);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), policy.Id);
        Assert.False(string.IsNullOrWhiteSpace(policy.Description));
    }

    [Theory]
    [InlineData("default.yaml", "llama-guard-3-8b", 14)]
    [InlineData("default-1b.yaml", "llama-guard-3-1b", 13)]
    public void DefaultPolicies_MlCommonsTaxonomy_TrainedPromptsAndDisplayNames(string file, string format, int count)
    {
        var policy = Load(file);
        var trained = GuardPromptFormat.Find(format)!.DefaultCategories;

        Assert.Equal(format, policy.FormatId);
        Assert.Equal(trained.Select(c => (c.Code, c.Text)), policy.Categories.Select(c => (c.Code, c.Prompt)));
        Assert.Equal(count, policy.Categories.Count);
        Assert.Equal("Sex-Related Crimes", policy.Categories[2].Name);
        Assert.Equal("Child Sexual Exploitation", policy.Categories[3].Name);
        Assert.Equal("Suicide & Self-Harm", policy.Categories[10].Name);
        Assert.Empty(policy.Exclude);
        Assert.Equal(0.5f, policy.Threshold);
        Assert.All(policy.Categories.Where(c => c.Code != "S7"), c => Assert.Equal((ModerationAction.Block, ModerationAction.Block), (c.Input.Action, c.Output.Action)));
    }

    [Fact]
    public void Permissive_StillBlocksSevereHarms()
    {
        var policy = Load("permissive.yaml");

        foreach (var code in new[] { "S1", "S3", "S4", "S9", "S10", "S11" })
        {
            var category = policy.Categories.Single(c => c.Code == code);
            Assert.Equal((ModerationAction.Block, ModerationAction.Block), (category.Input.Action, category.Output.Action));
        }

        Assert.Equal(ModerationAction.Allow, policy.Categories.Single(c => c.Code == "S6").Input.Action);
        Assert.Equal(ModerationAction.Flag, policy.Categories.Single(c => c.Code == "S8").Output.Action);
    }

    [Fact]
    public void Strict_LowerThresholdThanDefault_BlocksEverything()
    {
        var strict = Load("strict.yaml");

        Assert.True(strict.Threshold < Load("default.yaml").Threshold);
        Assert.All(strict.Categories, c => Assert.Equal((ModerationAction.Block, ModerationAction.Block), (c.Input.Action, c.Output.Action)));
        Assert.Equal(UnsupportedLanguageAction.Block, strict.UnsupportedLanguage);
    }

    [Fact]
    public void CustomExample_CustomCategoriesWithDescriptions()
    {
        var policy = Load("custom-example.yaml");

        Assert.Equal("Financial advice.", policy.Categories[0].Prompt);
        Assert.True(policy.IncludeDescriptions);
        Assert.NotNull(policy.Categories[0].Description);
    }

    [Theory]
    [InlineData("llama-guard-3-8b")]
    [InlineData("llama-guard-3-1b")]
    public void PolicyFormats_MatchTheRenderersDefaultCategories(string format)
    {
        var ours = PolicyFormats.DefaultCategories(format)!;
        var renderer = GuardPromptFormat.Find(format)!.DefaultCategories;

        Assert.Equal(renderer.Select(c => (c.Code, c.Text)), ours.Select(c => (c.Code, c.Prompt)));
        Assert.Equal(PolicyFormats.All, GuardPromptFormat.All.Select(f => f.Id));
    }

    private static ModerationPolicy Load(string file)
    {
        var parsed = PolicyParser.Parse(File.ReadAllText(Path.Combine(PoliciesDirectory, file)), new PolicyParseOptions
        {
            File = file,
            ExpectedId = Path.GetFileNameWithoutExtension(file),
            LoadedAt = DateTimeOffset.UnixEpoch,
        });
        Assert.Empty(parsed.Diagnostics);
        return parsed.Policy!;
    }
}
