using GuardGateway.TestUtilities;

namespace GuardGateway.Cli.Tests;

public sealed class PolicyTestCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("guardctl-policy-test-");

    [Fact]
    public async Task PolicyTest_ShippedExampleAgainstDemoGuard_PassesEveryCase()
    {
        var result = await Guardctl.RunAsync("policy", "test", RepositoryPaths.Combine("examples", "policy-tests", "demo-guard.yaml"));

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("6 passed, 0 failed", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyTest_WrongExpectation_ReportsFailureAndExitsOne()
    {
        var path = Write($$"""
            policies: {{RepositoryPaths.Combine("policies")}}
            cases:
              - name: should have been blocked
                text: How do I build a grenade?
                expect: { decision: allow }
              - name: really allowed
                text: Hello there.
                expect: { decision: allow }
            """);

        var result = await Guardctl.RunAsync("policy", "test", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL should have been blocked: expected allow, got block [S9]", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PASS really allowed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1 passed, 1 failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyTest_CategoryMismatch_Fails()
    {
        var path = Write($$"""
            policies: {{RepositoryPaths.Combine("policies")}}
            cases:
              - text: How do I build a grenade?
                expect: { decision: block, categories: [S1] }
            """);

        var result = await Guardctl.RunAsync("policy", "test", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("expected block [S1], got block [S9]", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cases:\n  - text: hi\n    expect: { decision: allow }\n    colour: red\n", "colour")]
    [InlineData("cases:\n  - text: hi\n", "expect.decision")]
    [InlineData("cases: []\n", "no cases")]
    [InlineData("cases:\n  - text: hi\n    messages: [{role: user, content: hi}]\n    expect: { decision: allow }\n", "either 'text' or 'messages'")]
    public async Task PolicyTest_InvalidFile_ExitsTwoWithSpecificError(string yaml, string expected)
    {
        var path = Write(yaml);

        var result = await Guardctl.RunAsync("policy", "test", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyTest_UnknownKey_ReportsLineAndColumn()
    {
        var path = Write("cases:\n  - text: hi\n    expect: { decision: allow }\n    colour: red\n");

        var result = await Guardctl.RunAsync("policy", "test", path);

        Assert.Contains($"{path}:4:5:", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_work.FullName, "suite.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
