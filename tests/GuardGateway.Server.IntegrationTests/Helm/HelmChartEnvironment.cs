using System.Globalization;
using System.Text.RegularExpressions;
using GuardGateway.TestUtilities;
using YamlDotNet.Serialization;

namespace GuardGateway.Server.IntegrationTests.Helm;

/// <summary>
/// Reads, without helm, the environment variables the chart <c>helm/guard-gateway</c> can set: the <c>env:</c> block
/// of its Deployment (literal names, names indexed by a template such as <c>Guard__Inference__Sha256Pins__{{ $i }}</c>,
/// the Secret-key lists passed to <c>guard-gateway.secretKeyEnv</c>) and the <c>config:</c> map of a values set,
/// flattened as <c>guard-gateway.configEnv</c> does. <c>{{ .Values.x.y }}</c> in a value is substituted from the
/// values set; any other template expression leaves the value unknown (null).
/// </summary>
internal static partial class HelmChartEnvironment
{
    /// <summary>The chart folder.</summary>
    public static string ChartDirectory => RepositoryPaths.Combine("helm", "guard-gateway");

    /// <summary>The variables set with the chart's values.yaml merged with <paramref name="overrideFile"/> (relative to the chart; null = defaults).</summary>
    public static IReadOnlyList<ChartEnvironmentVariable> Read(string? overrideFile)
    {
        var values = LoadValues(overrideFile);
        var deployment = File.ReadAllText(Path.Combine(ChartDirectory, "templates", "deployment.yaml"));
        var variables = new List<ChartEnvironmentVariable>();
        var lines = EnvBlock(deployment);
        for (var i = 0; i < lines.Count; i++)
        {
            if (NameLine().Match(lines[i]) is { Success: true } name)
            {
                var value = i + 1 < lines.Count && ValueLine().Match(lines[i + 1]) is { Success: true } v ? Substitute(v.Groups[1].Value, values) : null;
                variables.Add(new ChartEnvironmentVariable(TemplateIndex().Replace(name.Groups[1].Value, "0"), value));
            }

            foreach (Match list in SecretKeyList().Matches(lines[i]))
            {
                variables.Add(new ChartEnvironmentVariable(list.Groups[1].Value + "__0", null));
            }

            if (lines[i].Contains("\"guard-gateway.configEnv\"", StringComparison.Ordinal))
            {
                Flatten(string.Empty, Lookup(values, "config"), variables);
            }
        }

        return variables;
    }

    /// <summary>values.yaml deep-merged with an override file, as helm merges <c>-f</c> files.</summary>
    public static Dictionary<object, object?> LoadValues(string? overrideFile)
    {
        var values = Parse(Path.Combine(ChartDirectory, "values.yaml"));
        return overrideFile is null ? values : Merge(values, Parse(Path.Combine(ChartDirectory, overrideFile)));
    }

    private static Dictionary<object, object?> Parse(string path) =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(File.ReadAllText(path)) ?? [];

    private static Dictionary<object, object?> Merge(Dictionary<object, object?> under, Dictionary<object, object?> over)
    {
        var merged = new Dictionary<object, object?>(under);
        foreach (var (key, value) in over)
        {
            merged[key] = merged.GetValueOrDefault(key) is Dictionary<object, object?> a && value is Dictionary<object, object?> b ? Merge(a, b) : value;
        }

        return merged;
    }

    /// <summary>The lines after <c>env:</c> up to the next line indented no deeper (the <c>ports:</c> key).</summary>
    private static List<string> EnvBlock(string template)
    {
        var lines = template.Split('\n');
        var start = Array.FindIndex(lines, line => line.TrimEnd() is { } t && t.EndsWith("env:", StringComparison.Ordinal) && t.Trim() == "env:");
        if (start < 0)
        {
            throw new InvalidOperationException("deployment.yaml has no env: block");
        }

        var indent = Indent(lines[start]);
        return [.. lines.Skip(start + 1).TakeWhile(line => line.Trim().Length == 0 || Indent(line) > indent)];
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static void Flatten(string prefix, object? node, List<ChartEnvironmentVariable> into)
    {
        switch (node)
        {
            case Dictionary<object, object?> map:
                foreach (var (key, child) in map)
                {
                    Flatten(prefix.Length == 0 ? $"{key}" : $"{prefix}__{key}", child, into);
                }

                break;
            case List<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    Flatten(string.Create(CultureInfo.InvariantCulture, $"{prefix}__{i}"), list[i], into);
                }

                break;
            case null:
                break;
            default:
                into.Add(new ChartEnvironmentVariable(prefix, node.ToString()));
                break;
        }
    }

    private static string? Substitute(string raw, Dictionary<object, object?> values)
    {
        var unknown = false;
        var text = ValuesReference().Replace(raw, match =>
        {
            var found = Lookup(values, match.Groups[1].Value);
            unknown |= found is null or Dictionary<object, object?> or List<object?>;
            return found?.ToString() ?? string.Empty;
        });
        return unknown || text.Contains("{{", StringComparison.Ordinal) ? null : text.Trim().Trim('"');
    }

    private static object? Lookup(Dictionary<object, object?> values, string dottedPath)
    {
        object? node = values;
        foreach (var part in dottedPath.Split('.'))
        {
            node = node is Dictionary<object, object?> map ? map.GetValueOrDefault(part) : null;
        }

        return node;
    }

    [GeneratedRegex(@"^\s*- name: ([A-Za-z_][A-Za-z0-9_]*(?:\{\{[^}]*\}\}[A-Za-z0-9_]*)*)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s*value: (.+?)\s*$")]
    private static partial Regex ValueLine();

    [GeneratedRegex(@"\{\{[^}]*\}\}")]
    private static partial Regex TemplateIndex();

    [GeneratedRegex(@"""guard-gateway\.secretKeyEnv"" \(dict ""name"" ""([A-Za-z0-9_]+)""")]
    private static partial Regex SecretKeyList();

    [GeneratedRegex(@"\{\{-?\s*\.Values\.([A-Za-z0-9_.]+)\s*(?:\|\s*quote\s*)?-?\}\}")]
    private static partial Regex ValuesReference();
}
