using System.Text.RegularExpressions;
using GuardGateway.Server.IntegrationTests.Helm;
using GuardGateway.TestUtilities;

namespace GuardGateway.Server.IntegrationTests.Container;

/// <summary>
/// What the repository's <c>Dockerfile</c> says about the runtime image (its last stage): environment, exposed ports,
/// user, working directory, entry point and where the policies are copied. Read as text: no container engine runs here.
/// </summary>
internal sealed partial record ContainerImageDefinition(
    IReadOnlyList<ChartEnvironmentVariable> Environment,
    IReadOnlyList<int> ExposedPorts,
    string User,
    string WorkingDirectory,
    IReadOnlyList<string> EntryPoint,
    IReadOnlyList<string> BuildCommands)
{
    public static string DockerfilePath => RepositoryPaths.Combine("Dockerfile");

    public static ContainerImageDefinition Read() => Parse(File.ReadAllText(DockerfilePath));

    /// <summary>Parses Dockerfile text: continuation lines joined, comments dropped, the last stage described.</summary>
    public static ContainerImageDefinition Parse(string text)
    {
        var instructions = Instructions(text);
        var lastStage = instructions.FindLastIndex(i => i.Keyword == "FROM");
        var runtime = instructions.Skip(Math.Max(lastStage, 0)).ToList();
        var environment = runtime.Where(i => i.Keyword == "ENV")
            .SelectMany(i => EnvPair().Matches(i.Arguments))
            .Select(m => new ChartEnvironmentVariable(m.Groups[1].Value, m.Groups[2].Value))
            .ToList();
        var ports = runtime.Where(i => i.Keyword == "EXPOSE")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var entryPoint = Last(runtime, "ENTRYPOINT") ?? string.Empty;
        return new ContainerImageDefinition(
            environment,
            ports,
            Last(runtime, "USER") ?? string.Empty,
            Last(runtime, "WORKDIR") ?? "/",
            [.. JsonArrayItem().Matches(entryPoint).Select(m => m.Groups[1].Value)],
            [.. instructions.Take(Math.Max(lastStage, 0)).Where(i => i.Keyword == "RUN").Select(i => i.Arguments)]);
    }

    private static string? Last(List<(string Keyword, string Arguments)> instructions, string keyword) =>
        instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments).LastOrDefault();

    private static List<(string Keyword, string Arguments)> Instructions(string text)
    {
        var joined = new List<(string, string)>();
        var current = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            current += current.Length == 0 ? line.Trim() : " " + line.Trim();
            if (current.EndsWith('\\'))
            {
                current = current[..^1].TrimEnd();
                continue;
            }

            if (current.Length > 0)
            {
                var space = current.IndexOf(' ', StringComparison.Ordinal);
                joined.Add(space < 0 ? (current.ToUpperInvariant(), string.Empty) : (current[..space].ToUpperInvariant(), current[(space + 1)..].Trim()));
            }

            current = string.Empty;
        }

        return joined;
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S+)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex JsonArrayItem();
}
