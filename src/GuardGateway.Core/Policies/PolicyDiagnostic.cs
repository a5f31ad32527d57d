using System.Globalization;

namespace GuardGateway.Core.Policies;

/// <summary>
/// One problem found in a policy file: where it is and what is wrong. Messages name keys, codes and ids,
/// never secrets. Lines and columns are 1-based; 0 means "the file as a whole".
/// </summary>
/// <param name="File">The file (or a label such as <c>&lt;text&gt;</c> for policies submitted through the admin API).</param>
/// <param name="Line">1-based line, or 0 when the problem concerns the whole file or set.</param>
/// <param name="Column">1-based column, or 0.</param>
/// <param name="Code">Stable, kebab-case diagnostic code (see <c>PolicyDiagnosticCodes</c> in GuardGateway.Policies).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Severity">Error (default) or warning.</param>
public sealed record PolicyDiagnostic(
    string File,
    int Line,
    int Column,
    string Code,
    string Message,
    PolicyDiagnosticSeverity Severity = PolicyDiagnosticSeverity.Error)
{
    /// <summary>True for <see cref="PolicyDiagnosticSeverity.Error"/>.</summary>
    public bool IsError => Severity == PolicyDiagnosticSeverity.Error;

    /// <summary>Compiler style: <c>file:line:col: error CODE: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity == PolicyDiagnosticSeverity.Error ? "error" : "warning";
        return string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {severity} {Code}: {Message}");
    }
}
