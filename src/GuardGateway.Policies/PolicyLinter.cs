using GuardGateway.Core.Policies;
using GuardGateway.Policies.Parsing;

namespace GuardGateway.Policies;

/// <summary>
/// Validates policy files exactly as the policy store loads them (for <c>guardctl policy lint</c> and CI):
/// a clean lint means the server accepts the files.
/// </summary>
public static class PolicyLinter
{
    /// <summary>
    /// Lints one policy file, or every <c>*.yaml</c> / <c>*.yml</c> file in a directory including the checks
    /// across files (duplicate ids, binding clashes and, when <paramref name="defaultPolicyId"/> is given, the
    /// default policy). Returns every diagnostic, in file order.
    /// </summary>
    /// <param name="path">A file or a directory.</param>
    /// <param name="supportedFormats">Formats the target model serves (null = all). Other formats are warnings, as in the store.</param>
    /// <param name="defaultPolicyId">For directories: the default policy the server will be configured with; null skips that check.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public static async Task<IReadOnlyList<PolicyDiagnostic>> LintAsync(
        string path,
        IReadOnlyCollection<string>? supportedFormats = null,
        string? defaultPolicyId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var now = DateTimeOffset.UnixEpoch;
        PolicyParseOptions OptionsFor(string file) => new()
        {
            File = file,
            ExpectedId = PolicyDirectoryReader.ExpectedId(file),
            SupportedFormats = supportedFormats,
            UnsupportedFormatSeverity = PolicyDiagnosticSeverity.Warning,
            LoadedAt = now,
        };

        if (Directory.Exists(path))
        {
            var (parsed, diagnostics) = await PolicyDirectoryReader.ReadAllAsync(path, OptionsFor, cancellationToken);
            if (parsed.Count == 0 && diagnostics.Count == 0)
            {
                diagnostics.Add(new PolicyDiagnostic(path, 0, 0, PolicyDiagnosticCodes.FileUnreadable, "The directory holds no *.yaml or *.yml policy files."));
            }

            diagnostics.AddRange(PolicySetValidator.Validate(parsed, defaultPolicyId, supportedFormats, path));
            return Order(diagnostics);
        }

        if (!File.Exists(path))
        {
            return [new PolicyDiagnostic(path, 0, 0, PolicyDiagnosticCodes.FileUnreadable, "No such file or directory.")];
        }

        var single = await PolicyDirectoryReader.ReadFileAsync(path, OptionsFor(path), cancellationToken);
        return single is null
            ? [new PolicyDiagnostic(path, 0, 0, PolicyDiagnosticCodes.FileUnreadable, "The file cannot be read.")]
            : single.Diagnostics;
    }

    private static List<PolicyDiagnostic> Order(List<PolicyDiagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ThenBy(d => d.Code, StringComparer.Ordinal)];
}
