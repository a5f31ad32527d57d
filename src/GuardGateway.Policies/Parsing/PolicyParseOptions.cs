using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Parsing;

/// <summary>How to parse one policy text.</summary>
internal sealed record PolicyParseOptions
{
    /// <summary>The file name (or label) diagnostics carry.</summary>
    public required string File { get; init; }

    /// <summary>The id the text must declare (the file name stem, or the admin call's id); null = any.</summary>
    public string? ExpectedId { get; init; }

    /// <summary>Formats the loaded model serves; null = every known format.</summary>
    public IReadOnlyCollection<string>? SupportedFormats { get; init; }

    /// <summary>
    /// Error for admin submissions and lint with explicit formats; warning for files on disk, where policies
    /// for another model family may share the directory (they load but cannot be selected).
    /// </summary>
    public PolicyDiagnosticSeverity UnsupportedFormatSeverity { get; init; } = PolicyDiagnosticSeverity.Error;

    /// <summary>The load time that goes into the version.</summary>
    public required DateTimeOffset LoadedAt { get; init; }
}
