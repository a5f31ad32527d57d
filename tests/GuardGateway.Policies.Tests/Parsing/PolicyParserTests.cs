using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Parsing;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Parsing;

public sealed class PolicyParserTests
{
    private const string Base = "id: t\nformat: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: block\n    output: block\n";

    internal static ParsedPolicy Parse(string text, string? expectedId = null, string[]? formats = null, PolicyDiagnosticSeverity unsupported = PolicyDiagnosticSeverity.Error) =>
        PolicyParser.Parse(text, new PolicyParseOptions
        {
            File = "t.yaml",
            ExpectedId = expectedId,
            SupportedFormats = formats,
            UnsupportedFormatSeverity = unsupported,
            LoadedAt = new DateTimeOffset(2026, 11, 28, 16, 10, 42, TimeSpan.Zero),
        });

    [Fact]
    public void Parse_FullSketch_MapsEveryKey()
    {
        var parsed = Parse(PolicyTexts.Full);

        Assert.Empty(parsed.Diagnostics);
        var policy = parsed.Policy!;
        Assert.Equal("full", policy.Id);
        Assert.Equal("MLCommons hazard taxonomy as Llama Guard 3 8B was trained on it", policy.Description);
        Assert.Equal("llama-guard-3-8b", policy.FormatId);
        Assert.Equal(0.4f, policy.Threshold);
        Assert.Equal(FailMode.Closed, policy.OnError);
        Assert.Equal(UnsupportedLanguageAction.Block, policy.UnsupportedLanguage);
        Assert.Equal("No.", policy.Refusal);
        Assert.Equal("[gone: {code} {name}]", policy.Redaction);
        Assert.True(policy.IncludeDescriptions);
        Assert.Equal(["S1", "S6", "S7", "S15"], policy.Categories.Select(c => c.Code));
        Assert.Equal(new DirectionRule(ModerationAction.Flag, 0.7f), policy.Categories[1].Output);
        Assert.Equal(new DirectionRule(ModerationAction.Allow), policy.Categories[1].Input);
        Assert.Equal("Financial, medical or legal advice.", policy.Categories[1].Description);
        Assert.Equal(new DirectionRule(ModerationAction.Block, 0.25f), policy.Categories[3].Output);
        Assert.Equal(["S15"], policy.Exclude);
        Assert.Equal(["team-a", "team-b"], policy.Bindings.ApiKeyIds);
        Assert.Equal(["llama-3-8b-instruct"], policy.Bindings.Models);
        Assert.Equal(parsed.ContentHash[..12] + "@20261128T161042Z", policy.Version);
        Assert.Matches("^[0-9a-f]{64}$", parsed.ContentHash);
    }

    [Fact]
    public void Parse_DefaultCodeWithoutPromptOrName_UsesTrainedTextAndTaxonomyName()
    {
        var policy = Parse(Base.Replace("S1", "S11", StringComparison.Ordinal)).Policy!;

        Assert.Equal("Self-Harm.", policy.Categories[0].Prompt);
        Assert.Equal("Suicide & Self-Harm", policy.Categories[0].Name);
    }

    [Fact]
    public void Parse_Defaults_FailClosedFlagHalf()
    {
        var policy = Parse(Base).Policy!;

        Assert.Equal(FailMode.Closed, policy.OnError);
        Assert.Equal(UnsupportedLanguageAction.Flag, policy.UnsupportedLanguage);
        Assert.Equal(0.5f, policy.Threshold);
        Assert.Empty(policy.Exclude);
        Assert.Same(PolicyBindings.None, policy.Bindings);
        Assert.False(policy.IncludeDescriptions);
    }

    [Theory]
    [InlineData("allow", FailMode.Open)]
    [InlineData("open", FailMode.Open)]
    [InlineData("block", FailMode.Closed)]
    [InlineData("closed", FailMode.Closed)]
    public void Parse_OnError_OpenOnlyWhenWritten(string value, FailMode expected)
    {
        Assert.Equal(expected, Parse(Base + "on_error: " + value + "\n").Policy!.OnError);
    }

    [Fact]
    public void Parse_CustomPromptWithoutName_NameFromPrompt()
    {
        var policy = Parse(Base.Replace("  - code: S1\n", "  - code: S1\n    prompt: Financial advice.\n", StringComparison.Ordinal)).Policy!;

        Assert.Equal("Financial advice", policy.Categories[0].Name);
        Assert.Equal("Financial advice.", policy.Categories[0].Prompt);
    }

    [Fact]
    public void Parse_AnchorsAndAliases_Resolved()
    {
        var text = "id: t\nformat: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: &strict { action: block, threshold: 0.2 }\n    output: *strict\n";

        var policy = Parse(text).Policy!;

        Assert.Equal(new DirectionRule(ModerationAction.Block, 0.2f), policy.Categories[0].Output);
    }

    public static TheoryData<string, string, int, int> SingleErrors => new()
    {
        // text, code, line, column
        { Base + "threshhold: 0.5\n", PolicyDiagnosticCodes.UnknownKey, 7, 1 },
        { Base.Replace("    input: block\n", "    input: block\n    actoin: flag\n", StringComparison.Ordinal), PolicyDiagnosticCodes.UnknownKey, 6, 5 },
        { "id: t\ncategories:\n  - code: S1\n    input: block\n    output: block\n", PolicyDiagnosticCodes.MissingKey, 1, 1 },
        { "format: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: block\n    output: block\n", PolicyDiagnosticCodes.MissingKey, 1, 1 },
        { "id: t\nformat: llama-guard-3-8b\n", PolicyDiagnosticCodes.MissingKey, 1, 1 },
        { "id: t\nformat: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: block\n", PolicyDiagnosticCodes.MissingKey, 4, 5 },
        { "id: t\nformat: llama-guard-3-8b\ncategories:\n  - input: block\n    output: block\n", PolicyDiagnosticCodes.MissingKey, 4, 5 },
        { "id: t\nformat:\ncategories:\n  - code: S1\n    input: block\n    output: block\n", PolicyDiagnosticCodes.MissingKey, 2, 8 },
        { "id: t\nid: u\nformat: llama-guard-3-8b\ncategories:\n  - code: S1\n    input: block\n    output: block\n", PolicyDiagnosticCodes.DuplicateKey, 2, 1 },
        { Base.Replace("code: S1", "code: X1", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidCode, 4, 11 },
        { Base.Replace("code: S1", "code: S01", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidCode, 4, 11 },
        { Base + "  - code: S1\n    input: flag\n    output: flag\n", PolicyDiagnosticCodes.DuplicateCode, 7, 11 },
        { Base.Replace("code: S1", "code: S15", StringComparison.Ordinal), PolicyDiagnosticCodes.UnknownCode, 4, 11 },
        { Base.Replace("S1", "S14", StringComparison.Ordinal).Replace("3-8b", "3-1b", StringComparison.Ordinal), PolicyDiagnosticCodes.UnknownCode, 4, 11 },
        { Base + "exclude: [S9]\n", PolicyDiagnosticCodes.UnknownCode, 7, 11 },
        { Base + "exclude: [S1]\n", PolicyDiagnosticCodes.EmptyCategories, 7, 10 },
        { "id: t\nformat: llama-guard-3-8b\ncategories: []\n", PolicyDiagnosticCodes.EmptyCategories, 3, 13 },
        { "id: t\nformat: llama-guard-3-8b\ncategories: all\n", PolicyDiagnosticCodes.InvalidType, 3, 13 },
        { "id: t\nformat: llama-guard-3-8b\ncategories:\n  - S1\n", PolicyDiagnosticCodes.InvalidType, 4, 5 },
        { "- id: t\n", PolicyDiagnosticCodes.InvalidType, 1, 1 },
        { "", PolicyDiagnosticCodes.InvalidType, 1, 1 },
        { Base + "bindings: [a]\n", PolicyDiagnosticCodes.InvalidType, 7, 11 },
        { Base + "bindings:\n  api_keys: team-a\n", PolicyDiagnosticCodes.InvalidType, 8, 13 },
        { Base + "threshold: 1.5\n", PolicyDiagnosticCodes.InvalidThreshold, 7, 12 },
        { Base + "threshold: -0.1\n", PolicyDiagnosticCodes.InvalidThreshold, 7, 12 },
        { Base + "threshold: NaN\n", PolicyDiagnosticCodes.InvalidThreshold, 7, 12 },
        { Base + "threshold: high\n", PolicyDiagnosticCodes.InvalidThreshold, 7, 12 },
        { Base.Replace("output: block", "output: { action: flag, threshold: 2 }", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidThreshold, 6, 40 },
        { Base.Replace("input: block", "input: nuke", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidAction, 5, 12 },
        { Base.Replace("input: block", "input: Block", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidAction, 5, 12 },
        { Base.Replace("output: block", "output: { threshold: 0.2 }", StringComparison.Ordinal), PolicyDiagnosticCodes.MissingKey, 6, 13 },
        { Base.Replace("output: block", "output: [block]", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidType, 6, 13 },
        { Base.Replace("3-8b", "3-70b", StringComparison.Ordinal), PolicyDiagnosticCodes.UnknownFormat, 2, 9 },
        { Base + "on_error: maybe\n", PolicyDiagnosticCodes.InvalidValue, 7, 11 },
        { Base + "unsupported_language: translate\n", PolicyDiagnosticCodes.InvalidValue, 7, 23 },
        { Base + "include_descriptions: yes\n", PolicyDiagnosticCodes.InvalidValue, 7, 23 },
        { Base.Replace("  - code: S1\n", "  - code: S1\n    prompt: \"two\\nlines\"\n", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidValue, 5, 13 },
        { Base + "redaction: \"[{category}]\"\n", PolicyDiagnosticCodes.InvalidTemplate, 7, 12 },
        { Base.Replace("id: t", "id: Bad/Id", StringComparison.Ordinal), PolicyDiagnosticCodes.InvalidId, 1, 5 },
        { "id: [t\n", PolicyDiagnosticCodes.YamlSyntax, 2, 1 },
        { Base + "\tbad: tab\n", PolicyDiagnosticCodes.YamlSyntax, 6, 13 },
        { Base + "---\nid: other\n", PolicyDiagnosticCodes.YamlUnsupported, 7, 1 },
        { Base.Replace("output: block", "output: *nowhere", StringComparison.Ordinal), PolicyDiagnosticCodes.YamlUnsupported, 6, 13 },
        { Base + "? [a, b]\n: c\n", PolicyDiagnosticCodes.YamlUnsupported, 7, 3 },
    };

    [Theory]
    [MemberData(nameof(SingleErrors))]
    public void Parse_OneDefect_ReportsItWithLineAndColumn(string text, string code, int line, int column)
    {
        var parsed = Parse(text);

        Assert.Null(parsed.Policy);
        var diagnostic = Assert.Single(parsed.Diagnostics, d => d.Code == code);
        Assert.Equal(("t.yaml", line, column), (diagnostic.File, diagnostic.Line, diagnostic.Column));
        Assert.True(diagnostic.IsError);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
    }

    [Fact]
    public void Parse_UnknownKey_SuggestsTheClosestKey()
    {
        var diagnostic = Assert.Single(Parse(Base + "threshhold: 0.5\n").Diagnostics);

        Assert.Equal("t.yaml:7:1: error unknown-key: Unknown key 'threshhold' in policy. Did you mean 'threshold'?", diagnostic.ToString());
    }

    [Fact]
    public void Parse_ManyDefects_ReportsEveryOneInFileOrder()
    {
        const string text = """
            id: t
            formt: llama-guard-3-8b
            threshold: 7
            on_error: sometimes
            categories:
              - code: S1
                input: nuke
                output: block
              - code: Z2
                input: block
                output: block
              - code: S1
                input: block
                output: { action: block, threshold: -1 }
              - code: S99
                input: block
                output: block
            exclude: [S5]
            bindings:
              api_key: [team-a]
            """;

        var diagnostics = Parse(text).Diagnostics;

        Assert.Equal(
        [
            (1, 1, "missing-key"),
            (2, 1, "unknown-key"),
            (3, 12, "invalid-threshold"),
            (4, 11, "invalid-value"),
            (7, 12, "invalid-action"),
            (9, 11, "invalid-code"),
            (12, 11, "duplicate-code"),
            (14, 41, "invalid-threshold"),
            (18, 11, "unknown-code"),
            (20, 3, "unknown-key"),
        ], diagnostics.Select(d => (d.Line, d.Column, d.Code)));
    }

    [Fact]
    public void Parse_FormatTheModelCannotServe_ErrorOrWarningAsAsked()
    {
        var error = Parse(Base, formats: ["llama-guard-3-1b"]);
        var warning = Parse(Base, formats: ["llama-guard-3-1b"], unsupported: PolicyDiagnosticSeverity.Warning);

        Assert.Null(error.Policy);
        Assert.Equal((2, 9, PolicyDiagnosticCodes.UnsupportedFormat, true), Assert.Single(error.Diagnostics) is var e ? (e.Line, e.Column, e.Code, e.IsError) : default);
        Assert.NotNull(warning.Policy);
        Assert.Equal(PolicyDiagnosticSeverity.Warning, Assert.Single(warning.Diagnostics).Severity);
        Assert.Empty(Parse(Base, formats: ["llama-guard-3-8b"]).Diagnostics);
    }

    [Fact]
    public void Parse_IdDifferentFromExpected_IdMismatch()
    {
        var diagnostic = Assert.Single(Parse(Base, expectedId: "other").Diagnostics);

        Assert.Equal((PolicyDiagnosticCodes.IdMismatch, 1, 5), (diagnostic.Code, diagnostic.Line, diagnostic.Column));
        Assert.Empty(Parse(Base, expectedId: "t").Diagnostics);
    }

    [Fact]
    public void Parse_TooLarge_RefusedBeforeParsing()
    {
        var parsed = Parse(Base + "description: \"" + new string('x', PolicyParser.MaxTextLength) + "\"\n");

        Assert.Equal(PolicyDiagnosticCodes.YamlUnsupported, Assert.Single(parsed.Diagnostics).Code);
    }

    [Fact]
    public void Parse_DeepNesting_StopsEarlyNotQuadraticNotOverflowed()
    {
        // YamlDotNet's scanner is quadratic in nesting depth (20,000 levels take seconds): reading must stop at the limit.
        var text = Base + "description: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var parsed = Parse(text);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Null(parsed.Policy);
        var diagnostic = Assert.Single(parsed.Diagnostics);
        Assert.Equal((PolicyDiagnosticCodes.YamlUnsupported, 7), (diagnostic.Code, diagnostic.Line));
    }

    [Fact]
    public void Parse_InputThatCrashesTheYamlScanner_SyntaxDiagnosticNotException()
    {
        // YamlDotNet 18.1 throws InvalidOperationException (not YamlException) here; found by the property test.
        var parsed = Parse(": {\nt");

        Assert.Null(parsed.Policy);
        Assert.Equal(PolicyDiagnosticCodes.YamlSyntax, Assert.Single(parsed.Diagnostics).Code);
    }

    [Fact]
    public void Parse_SecretLookingBindingValue_NotEchoedBeyondLimit()
    {
        var longValue = new string('k', 500);
        var parsed = Parse(Base + "on_error: " + longValue + "\n");

        Assert.All(parsed.Diagnostics, d => Assert.True(d.Message.Length < 200, d.Message));
    }
}
