using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Parsing;

/// <summary>Reads and parses every <c>*.yaml</c> / <c>*.yml</c> file directly in a directory (ordinal file order).</summary>
internal static class PolicyDirectoryReader
{
    /// <summary>Whether a file name is a policy file.</summary>
    public static bool IsPolicyFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses every policy file; unreadable files and a missing directory become diagnostics.</summary>
    public static async Task<(List<ParsedPolicy> Policies, List<PolicyDiagnostic> Diagnostics)> ReadAllAsync(
        string directory,
        Func<string, PolicyParseOptions> optionsForFile,
        CancellationToken cancellationToken)
    {
        var policies = new List<ParsedPolicy>();
        var diagnostics = new List<PolicyDiagnostic>();
        string[] files;
        try
        {
            files = [.. Directory.EnumerateFiles(directory).Where(IsPolicyFile).Order(StringComparer.Ordinal)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            diagnostics.Add(new PolicyDiagnostic(directory, 0, 0, PolicyDiagnosticCodes.FileUnreadable, $"The policy directory cannot be listed ({exception.GetType().Name})."));
            return (policies, diagnostics);
        }

        foreach (var file in files)
        {
            var parsed = await ReadFileAsync(file, optionsForFile(file), cancellationToken);
            if (parsed is null)
            {
                diagnostics.Add(new PolicyDiagnostic(file, 0, 0, PolicyDiagnosticCodes.FileUnreadable, "The file cannot be read."));
                continue;
            }

            policies.Add(parsed);
            diagnostics.AddRange(parsed.Diagnostics);
        }

        return (policies, diagnostics);
    }

    /// <summary>Reads and parses one file; null when it cannot be read.</summary>
    public static async Task<ParsedPolicy?> ReadFileAsync(string file, PolicyParseOptions options, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            var info = new FileInfo(file);
            if (info.Length > PolicyParser.MaxTextLength * 4L)
            {
                // Refuse before reading a huge file into memory.
                return new ParsedPolicy
                {
                    File = options.File,
                    Text = string.Empty,
                    ContentHash = string.Empty,
                    Diagnostics = [new PolicyDiagnostic(options.File, 0, 0, PolicyDiagnosticCodes.YamlUnsupported, $"The file is {info.Length} bytes; policy files are at most {PolicyParser.MaxTextLength} characters.")],
                };
            }

            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return PolicyParser.Parse(text, options);
    }

    /// <summary>The id a file must declare: its name without extension.</summary>
    public static string ExpectedId(string file) => Path.GetFileNameWithoutExtension(file);
}
