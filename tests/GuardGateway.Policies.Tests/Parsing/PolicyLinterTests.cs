using GuardGateway.Core.Policies;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Parsing;

public sealed class PolicyLinterTests
{
    [Fact]
    public async Task LintAsync_Directory_ReportsErrorsAcrossFilesAtOnce()
    {
        using var dir = new TempDirectory();
        dir.Write("a.yaml", PolicyTexts.Minimal("a", extra: "bindings:\n  api_keys: [team-a]\n  models: [m1]\n"));
        dir.Write("b.yaml", PolicyTexts.Minimal("b", extra: "bindings:\n  api_keys: [team-b, team-a]\n  models: [m1]\n"));
        dir.Write("c.yml", PolicyTexts.Minimal("a"));
        dir.Write("d.yaml", PolicyTexts.Minimal("d", s1: "explode"));
        dir.Write("notes.txt", "not a policy");

        var diagnostics = await PolicyLinter.LintAsync(dir.Path, defaultPolicyId: "default");

        Assert.Equal(
        [
            (dir.Path, 0, 0, "missing-default"),
            (Path.Combine(dir.Path, "b.yaml"), 13, 22, "binding-clash"),
            (Path.Combine(dir.Path, "b.yaml"), 14, 12, "binding-clash"),
            (Path.Combine(dir.Path, "c.yml"), 1, 5, "duplicate-id"),
            (Path.Combine(dir.Path, "c.yml"), 1, 5, "id-mismatch"),
            (Path.Combine(dir.Path, "d.yaml"), 7, 12, "invalid-action"),
            (Path.Combine(dir.Path, "d.yaml"), 8, 13, "invalid-action"),
        ], diagnostics.Select(d => (d.File, d.Line, d.Column, d.Code)));
        Assert.Contains("already bound to policy 'a'", diagnostics[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintAsync_SingleFile_ChecksFileNameAndFormats()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("small.yaml", PolicyTexts.Minimal("small", format: "llama-guard-3-1b"));

        var clean = await PolicyLinter.LintAsync(path);
        var other = await PolicyLinter.LintAsync(path, ["llama-guard-3-8b"]);

        Assert.Empty(clean);
        var warning = Assert.Single(other);
        Assert.Equal((PolicyDiagnosticCodes.UnsupportedFormat, PolicyDiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.StartsWith(path + ":2:9: warning unsupported-format:", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintAsync_MissingPath_Unreadable()
    {
        var diagnostics = await PolicyLinter.LintAsync("/nonexistent/policies");

        Assert.Equal(PolicyDiagnosticCodes.FileUnreadable, Assert.Single(diagnostics).Code);
    }
}
