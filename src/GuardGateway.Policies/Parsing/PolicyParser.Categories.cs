using System.Text.RegularExpressions;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Yaml;

namespace GuardGateway.Policies.Parsing;

/// <summary>Categories, exclusions and bindings.</summary>
internal sealed partial class PolicyParser
{
    private static readonly string[] CategoryKeys = ["code", "name", "prompt", "description", "input", "output"];
    private static readonly string[] RuleKeys = ["action", "threshold"];
    private static readonly string[] BindingKeys = ["api_keys", "models"];

    // Every well-formed code written under categories, even in categories with other errors, so exclusions
    // can still be checked when some category is broken.
    private readonly Dictionary<string, YamlPosition> _categoryCodes = new(StringComparer.Ordinal);

    private List<PolicyCategory>? ReadCategories(YamlMapping map, string? format)
    {
        var node = map.Find("categories");
        if (node is null || node is YamlScalar { IsNull: true })
        {
            Add(node?.Position ?? map.Position, PolicyDiagnosticCodes.MissingKey, "The required key 'categories' is missing: list at least one category (code, input, output).");
            return null;
        }

        if (node is not YamlSequence sequence)
        {
            Add(node.Position, PolicyDiagnosticCodes.InvalidType, $"categories must be a list of categories, not {node.KindName}.");
            return null;
        }

        if (sequence.Items.Count == 0)
        {
            Add(sequence.Position, PolicyDiagnosticCodes.EmptyCategories, "categories is empty; the guard needs at least one category.");
            return null;
        }

        var defaults = format is null ? null : PolicyFormats.DefaultCategories(format);
        var seen = _categoryCodes;
        var categories = new List<PolicyCategory>(sequence.Items.Count);
        var complete = true;
        foreach (var item in sequence.Items)
        {
            var category = ReadCategory(item, format, defaults, seen);
            if (category is null)
            {
                complete = false;
            }
            else
            {
                categories.Add(category);
            }
        }

        return complete ? categories : null;
    }

    private PolicyCategory? ReadCategory(YamlNode item, string? format, IReadOnlyList<HazardCategory>? defaults, Dictionary<string, YamlPosition> seen)
    {
        if (item is not YamlMapping map)
        {
            Add(item.Position, PolicyDiagnosticCodes.InvalidType, $"Each category is a mapping (code, name, prompt, input, output), not {item.KindName}.");
            return null;
        }

        CheckKeys(map, CategoryKeys, "category");
        var code = RequiredString(map, "code", "a code such as S1");
        var ok = code is not null;
        HazardCategory? standard = null;
        if (code is not null)
        {
            var position = map.Find("code")!.Position;
            if (!CodePattern().IsMatch(code))
            {
                Add(position, PolicyDiagnosticCodes.InvalidCode, $"The code '{YamlTreeReader.Shorten(code)}' is not of the form S<n> (S1, S2, …).");
                ok = false;
            }
            else if (seen.TryGetValue(code, out var first))
            {
                Add(position, PolicyDiagnosticCodes.DuplicateCode, $"The code {code} is already defined at line {first.Line}.");
                ok = false;
            }
            else
            {
                seen.Add(code, position);
                standard = defaults?.FirstOrDefault(c => c.Code == code);
            }
        }

        var prompt = OptionalString(map, "prompt");
        if (prompt is null && code is not null && ok && standard is null && defaults is not null)
        {
            Add(map.Find("code")!.Position, PolicyDiagnosticCodes.UnknownCode,
                $"{code} is not a default category of {format} ({defaults[0].Code}–{defaults[^1].Code}); a custom category needs a 'prompt' (the words rendered into the guard prompt).");
            ok = false;
        }
        else if (prompt is not null && string.IsNullOrWhiteSpace(prompt))
        {
            Add(map.Find("prompt")!.Position, PolicyDiagnosticCodes.InvalidValue, "prompt must not be blank.");
            ok = false;
        }

        var name = OptionalString(map, "name");
        var description = OptionalString(map, "description", singleLine: false);
        var input = ReadRule(map, "input");
        var output = ReadRule(map, "output");
        if (!ok || code is null || input is null || output is null)
        {
            return null;
        }

        prompt ??= standard?.Prompt;
        if (prompt is null)
        {
            // Unknown format: the format error is already reported; nothing sensible to render.
            return null;
        }

        return new PolicyCategory
        {
            Code = code,
            Name = name ?? (standard is not null && prompt == standard.Prompt ? standard.Name : prompt.TrimEnd('.')),
            Prompt = prompt,
            Description = description,
            Input = input,
            Output = output,
        };
    }

    private DirectionRule? ReadRule(YamlMapping category, string key)
    {
        var node = category.Find(key);
        if (node is null || node is YamlScalar { IsNull: true })
        {
            Add(node?.Position ?? category.Position, PolicyDiagnosticCodes.MissingKey,
                $"The category needs '{key}': one of {string.Join(", ", ModerationActionNames.All)}, or {{ action: …, threshold: … }}.");
            return null;
        }

        switch (node)
        {
            case YamlScalar scalar:
                return ParseAction(scalar) is { } scalarAction ? new DirectionRule(scalarAction) : null;
            case YamlMapping map:
            {
                CheckKeys(map, RuleKeys, key);
                var actionNode = map.Find("action");
                ModerationAction? action = null;
                if (actionNode is null || actionNode is YamlScalar { IsNull: true })
                {
                    Add(actionNode?.Position ?? map.Position, PolicyDiagnosticCodes.MissingKey, $"'{key}' needs an 'action' ({string.Join(", ", ModerationActionNames.All)}).");
                }
                else if (actionNode is not YamlScalar actionScalar)
                {
                    Add(actionNode.Position, PolicyDiagnosticCodes.InvalidType, $"action must be a value, not {actionNode.KindName}.");
                }
                else
                {
                    action = ParseAction(actionScalar);
                }

                var threshold = OptionalThreshold(map, "threshold");
                return action is { } a ? new DirectionRule(a, threshold) : null;
            }

            default:
                Add(node.Position, PolicyDiagnosticCodes.InvalidType, $"'{key}' must be an action or {{ action: …, threshold: … }}, not {node.KindName}.");
                return null;
        }
    }

    private ModerationAction? ParseAction(YamlScalar scalar)
    {
        if (ModerationActionNames.TryParse(scalar.Value, out var action))
        {
            return action;
        }

        Add(scalar.Position, PolicyDiagnosticCodes.InvalidAction, $"'{YamlTreeReader.Shorten(scalar.Value)}' is not an action; expected {string.Join(", ", ModerationActionNames.All)}.");
        return null;
    }

    private List<string> ReadExclude(YamlMapping map, List<PolicyCategory>? categories)
    {
        var values = OptionalStringList(map, "exclude");
        var excluded = new List<string>();
        foreach (var (value, position) in values)
        {
            if (!CodePattern().IsMatch(value))
            {
                Add(position, PolicyDiagnosticCodes.InvalidCode, $"The excluded code '{YamlTreeReader.Shorten(value)}' is not of the form S<n>.");
            }
            else if (!_categoryCodes.ContainsKey(value))
            {
                Add(position, PolicyDiagnosticCodes.UnknownCode, $"The excluded code {value} is not one of this policy's categories.");
            }
            else if (!excluded.Contains(value))
            {
                excluded.Add(value);
            }
        }

        if (categories is not null && categories.Count > 0 && categories.All(c => excluded.Contains(c.Code)))
        {
            Add(map.Find("exclude")!.Position, PolicyDiagnosticCodes.EmptyCategories, "Every category is excluded; the guard needs at least one.");
        }

        return excluded;
    }

    private PolicyBindings ReadBindings(YamlMapping map)
    {
        var node = map.Find("bindings");
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return PolicyBindings.None;
        }

        if (node is not YamlMapping bindings)
        {
            Add(node.Position, PolicyDiagnosticCodes.InvalidType, $"bindings must be a mapping (api_keys: […], models: […]), not {node.KindName}.");
            return PolicyBindings.None;
        }

        CheckKeys(bindings, BindingKeys, "bindings");
        return new PolicyBindings(ReadBindingList(bindings, "api_keys"), ReadBindingList(bindings, "models"));
    }

    private List<string> ReadBindingList(YamlMapping bindings, string key)
    {
        var result = new List<string>();
        foreach (var (value, position) in OptionalStringList(bindings, key))
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(position, PolicyDiagnosticCodes.InvalidValue, $"{key} entries must not be blank.");
            }
            else if (!result.Contains(value))
            {
                result.Add(value);
                _bindings.Add(new BindingEntry(key, value, position));
            }
        }

        return result;
    }

    [GeneratedRegex("^S[1-9][0-9]{0,2}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
