using GuardGateway.Core.Conversations;
using GuardGateway.Inference.Prompts;
using GuardGateway.TestUtilities;

namespace GuardGateway.Inference.Tests.Prompts;

public sealed class GoldenPromptTests
{
    public static TheoryData<int> Cases => GoldenPrompts.Indexes();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_TextMatchesByteForByte(int index)
    {
        var golden = GoldenPrompts.All[index];
        var rendered = Render(golden);
        Assert.Equal(golden.Prompt, rendered.Text);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_IdsMatchExactly(int index)
    {
        var golden = GoldenPrompts.All[index];
        var rendered = Render(golden);
        Assert.Equal(golden.PromptIds, rendered.Ids);
    }

    [Fact]
    public void Render_Golden8bSingleUser_Shares143PrefixTokens()
    {
        // Issue #3: 143 of the 208 tokens come before the conversation.
        var golden = GoldenPrompts.All.Single(g => g.Name == "single_user" && g.Format == "llama-guard-3-8b");
        var rendered = Render(golden);
        Assert.Equal(208, rendered.Ids.Length);
        Assert.Equal(143, rendered.SharedPrefixLength);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_PrefixIsIdenticalForOtherContent(int index)
    {
        var golden = GoldenPrompts.All[index];
        var rendered = Render(golden);
        var other = Render(golden with { Messages = [.. golden.Messages.Select(m => m with { Content = "!!! 123 other text" })] });
        Assert.Equal(rendered.SharedPrefixLength, other.SharedPrefixLength);
        Assert.Equal(rendered.Ids[..rendered.SharedPrefixLength], other.Ids[..other.SharedPrefixLength]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_DecodedIdsEqualTextPlusTrailingNewlines(int index)
    {
        var golden = GoldenPrompts.All[index];
        var rendered = Render(golden);
        Assert.Equal(golden.Prompt + "\n\n", SharedTokenizers.Real.Decode(rendered.Ids));
    }

    [Fact]
    public void GoldenFixture_MatchesSharedSpec_WhenSpecIsBesideTheRepository()
    {
        var shared = Path.Combine(RepositoryPaths.Root, "..", "shared", "spec", "golden-prompts.json");
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllText(shared), File.ReadAllText(GoldenPrompts.FilePath));
        }
    }

    internal static RenderedGuardPrompt Render(GoldenPrompt golden)
    {
        var format = GuardPromptFormat.Find(golden.Format) ?? throw new InvalidOperationException(golden.Format);
        var request = new GuardPromptRequest
        {
            Format = format,
            Messages = [.. golden.Messages.Select(m => new ChatMessage(m.Role == "user" ? ChatRole.User : ChatRole.Assistant, m.Content))],
            ExcludedCategoryKeys = golden.ExcludedCategoryKeys ?? [],
        };
        return new GuardPromptRenderer(SharedTokenizers.Real).Render(request).GetValueOrThrow();
    }
}
