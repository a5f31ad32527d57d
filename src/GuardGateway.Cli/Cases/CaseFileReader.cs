using System.Text.Json;
using GuardGateway.Core.Categories;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Prompts;

namespace GuardGateway.Cli.Cases;

/// <summary>
/// Reads a case file: the shape of one entry of spec/golden-prompts.json (<c>format</c>, <c>messages</c>,
/// optional <c>categories</c>, <c>excluded_category_keys</c>, <c>include_descriptions</c>). <c>categories</c>
/// is an ordered object <c>{"S1": "Financial advice."}</c> or <c>{"S1": {"prompt": "…", "description": "…"}}</c>.
/// </summary>
internal static class CaseFileReader
{
    private static readonly HashSet<string> KnownKeys =
        ["name", "format", "messages", "categories", "excluded_category_keys", "include_descriptions", "prompt", "prompt_ids"];

    public static Result<GuardPromptRequest> Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return GuardError.Invalid($"cannot read case file {path}: {ex.Message}");
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return Parse(doc.RootElement, path);
        }
        catch (JsonException ex)
        {
            return GuardError.Invalid($"{path}: invalid JSON at line {ex.LineNumber + 1}: {ex.Message}");
        }
    }

    private static Result<GuardPromptRequest> Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GuardError.Invalid($"{path}: a case is a JSON object");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!KnownKeys.Contains(property.Name))
            {
                return GuardError.Invalid($"{path}: unknown key '{property.Name}' (expected one of {string.Join(", ", KnownKeys)})");
            }
        }

        var formatId = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var format = GuardPromptFormat.Find(formatId);
        if (format is null)
        {
            return GuardError.Invalid($"{path}: unknown format '{formatId}' (expected {string.Join(" or ", GuardPromptFormat.All.Select(x => x.Id))})");
        }

        var messages = ReadMessages(root, path);
        if (!messages.IsSuccess)
        {
            return messages.Error;
        }

        var categories = ReadCategories(root, path);
        if (!categories.IsSuccess)
        {
            return categories.Error;
        }

        var excluded = new List<string>();
        if (root.TryGetProperty("excluded_category_keys", out var ex))
        {
            if (ex.ValueKind != JsonValueKind.Array || ex.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                return GuardError.Invalid($"{path}: excluded_category_keys must be an array of strings");
            }

            excluded.AddRange(ex.EnumerateArray().Select(e => e.GetString()!));
        }

        var descriptions = root.TryGetProperty("include_descriptions", out var d) && d.ValueKind == JsonValueKind.True;
        return new GuardPromptRequest
        {
            Format = format,
            Messages = messages.Value,
            Categories = categories.Value.Count == 0 ? null : categories.Value,
            ExcludedCategoryKeys = excluded,
            IncludeDescriptions = descriptions,
        };
    }

    private static Result<IReadOnlyList<ChatMessage>> ReadMessages(JsonElement root, string path)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return GuardError.Invalid($"{path}: 'messages' must be an array of {{role, content}}");
        }

        var messages = new List<ChatMessage>();
        foreach (var item in array.EnumerateArray())
        {
            var index = messages.Count;
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                return GuardError.Invalid($"{path}: message {index} needs string 'role' and 'content'");
            }

            if (!ChatRoleNames.TryParse(role.GetString(), out var parsed))
            {
                return GuardError.Invalid($"{path}: message {index} has role '{role.GetString()}'; expected 'user' or 'assistant'");
            }

            messages.Add(new ChatMessage(parsed, content.GetString()!));
        }

        return messages;
    }

    private static Result<IReadOnlyList<GuardCategory>> ReadCategories(JsonElement root, string path)
    {
        var categories = new List<GuardCategory>();
        if (!root.TryGetProperty("categories", out var map))
        {
            return categories;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            return GuardError.Invalid($"{path}: 'categories' must be an object mapping codes to prompt text");
        }

        foreach (var entry in map.EnumerateObject())
        {
            switch (entry.Value.ValueKind)
            {
                case JsonValueKind.String:
                    categories.Add(new GuardCategory(entry.Name, entry.Value.GetString()!));
                    break;
                case JsonValueKind.Object when entry.Value.TryGetProperty("prompt", out var prompt) && prompt.ValueKind == JsonValueKind.String:
                    var description = entry.Value.TryGetProperty("description", out var desc) && desc.ValueKind == JsonValueKind.String ? desc.GetString() : null;
                    categories.Add(new GuardCategory(entry.Name, prompt.GetString()!, description));
                    break;
                default:
                    return GuardError.Invalid($"{path}: category {entry.Name} must be a string or {{\"prompt\": …, \"description\": …}}");
            }
        }

        return categories;
    }
}
