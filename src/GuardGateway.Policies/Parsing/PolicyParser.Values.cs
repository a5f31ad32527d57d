using System.Globalization;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Yaml;

namespace GuardGateway.Policies.Parsing;

/// <summary>Scalar helpers and key checks.</summary>
internal sealed partial class PolicyParser
{
    private void CheckKeys(YamlMapping map, string[] known, string where)
    {
        foreach (var entry in map.Entries)
        {
            var key = entry.Key.Value;
            if (Array.IndexOf(known, key) >= 0)
            {
                continue;
            }

            var suggestion = known.MinBy(k => Distance(k, key));
            var hint = suggestion is not null && Distance(suggestion, key) <= 2 ? $" Did you mean '{suggestion}'?" : $" Known keys: {string.Join(", ", known)}.";
            Add(entry.Key.Position, PolicyDiagnosticCodes.UnknownKey, $"Unknown key '{YamlTreeReader.Shorten(key)}' in {where}.{hint}");
        }
    }

    private string? RequiredString(YamlMapping map, string key, string expected)
    {
        var node = map.Find(key);
        if (node is null || node is YamlScalar { IsNull: true })
        {
            Add(node?.Position ?? map.Position, PolicyDiagnosticCodes.MissingKey, $"The required key '{key}' is missing ({expected}).");
            return null;
        }

        var value = OptionalString(map, key);
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            Add(node.Position, PolicyDiagnosticCodes.MissingKey, $"'{key}' must not be blank ({expected}).");
            return null;
        }

        return value;
    }

    private string? OptionalString(YamlMapping map, string key, bool singleLine = true)
    {
        var node = map.Find(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalar { IsNull: true }:
                return null;
            case YamlScalar scalar:
                if (singleLine && scalar.Value.Contains('\n', StringComparison.Ordinal))
                {
                    Add(scalar.Position, PolicyDiagnosticCodes.InvalidValue, $"'{key}' must be a single line.");
                    return null;
                }

                return scalar.Value;
            default:
                Add(node.Position, PolicyDiagnosticCodes.InvalidType, $"'{key}' must be a value, not {node.KindName}.");
                return null;
        }
    }

    private float? OptionalThreshold(YamlMapping map, string key)
    {
        var value = OptionalString(map, key);
        if (value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 1)
        {
            return (float)number;
        }

        Add(map.Find(key)!.Position, PolicyDiagnosticCodes.InvalidThreshold, $"The threshold '{YamlTreeReader.Shorten(value)}' must be a number between 0 and 1 (P(unsafe)).");
        return null;
    }

    private bool? OptionalBool(YamlMapping map, string key)
    {
        var value = OptionalString(map, key);
        switch (value)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Add(map.Find(key)!.Position, PolicyDiagnosticCodes.InvalidValue, $"'{key}' must be true or false.");
                return null;
        }
    }

    private List<(string Value, YamlPosition Position)> OptionalStringList(YamlMapping map, string key)
    {
        var result = new List<(string, YamlPosition)>();
        var node = map.Find(key);
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return result;
        }

        if (node is not YamlSequence sequence)
        {
            Add(node.Position, PolicyDiagnosticCodes.InvalidType, $"'{key}' must be a list ([a, b]), not {node.KindName}.");
            return result;
        }

        foreach (var item in sequence.Items)
        {
            if (item is YamlScalar scalar && !scalar.IsNull)
            {
                result.Add((scalar.Value, scalar.Position));
            }
            else
            {
                Add(item.Position, PolicyDiagnosticCodes.InvalidType, $"Entries of '{key}' must be values, not {(item is YamlScalar ? "empty" : item.KindName)}.");
            }
        }

        return result;
    }

    private void Add(YamlPosition position, string code, string message) =>
        _diagnostics.Add(new PolicyDiagnostic(_options.File, position.Line, position.Column, code, message));

    // Levenshtein distance, for "did you mean" on unknown keys; keys are short.
    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
