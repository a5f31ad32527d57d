using Xunit;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GuardGateway.TestUtilities;

/// <summary>The golden prompts of spec/golden-prompts.json (copied into tests/fixtures).</summary>
public static class GoldenPrompts
{
    private static readonly Lazy<IReadOnlyList<GoldenPrompt>> AllValue = new(Load);

    /// <summary>Every golden case.</summary>
    public static IReadOnlyList<GoldenPrompt> All => AllValue.Value;

    /// <summary>The path of the repository copy.</summary>
    public static string FilePath => RepositoryPaths.Combine("tests", "fixtures", "golden-prompts.json");

    /// <summary>xunit member data: one row per case, by index.</summary>
    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < All.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static List<GoldenPrompt> Load()
    {
        using var stream = File.OpenRead(FilePath);
        return JsonSerializer.Deserialize<List<GoldenPrompt>>(stream) ?? throw new InvalidDataException(FilePath);
    }
}

/// <summary>One golden case.</summary>
public sealed record GoldenPrompt(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("messages")] IReadOnlyList<GoldenMessage> Messages,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("prompt_ids")] IReadOnlyList<int> PromptIds,
    [property: JsonPropertyName("excluded_category_keys")] IReadOnlyList<string>? ExcludedCategoryKeys);

/// <summary>One golden message.</summary>
public sealed record GoldenMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);
