using GuardGateway.Policies.Parsing;

namespace GuardGateway.Fuzzing.Targets.Targets;

/// <summary>
/// The YAML <see cref="PolicyParser"/> (documented: never throws for any text). Declared: a parsed policy, or
/// diagnostics with at least one error. Invariants: a policy exactly when there is no error; parsing is
/// deterministic; every diagnostic names the file and a position.
/// </summary>
internal sealed class PolicyTarget : IFuzzTarget
{
    private const string File = "fuzz.yaml";

    public string Name => "policy";

    public IReadOnlyList<byte[]> Dictionary { get; } = OpenAiJsonTarget.Tokens(
        "id: ", "format: ", "llama-guard-3-8b", "llama-guard-3-1b", "categories:", "  S1:", "    action: block", "action: ",
        "allow", "block", "redact", "threshold: ", "0.5", "1e309", "-0", ".nan", "on_error: ", "fail_closed", "fail_open",
        "exclude: [S2]", "bindings:", "  - tenant: ", "directions:", "input", "output", "refusal: ", "redaction:",
        "description: ", "include_descriptions: ", "unsupported_language: ", "&a ", "*a", "<<: *a", "!!str ", "!!binary ",
        "---\n", "...\n", "? ", "- ", ": ", "[", "]", "{", "}", "|\n", ">-\n", "'", "\"", "#", "\t", "\n  ", "%YAML 1.2\n",
        Check.Canary);

    public void Execute(ReadOnlySpan<byte> input)
    {
        var selector = FuzzInput.Selector(input);
        var rest = FuzzInput.Rest(input);
        var text = FuzzInput.Text(rest);
        var options = new PolicyParseOptions
        {
            File = File,
            ExpectedId = (selector & 1) == 0 ? null : "fuzz",
            LoadedAt = DateTimeOffset.UnixEpoch,
        };
        var parsed = PolicyParser.Parse(text, options);
        Check.That(parsed.HasErrors == (parsed.Policy is null), "a policy with errors, or no policy without an error");
        foreach (var diagnostic in parsed.Diagnostics)
        {
            Check.That(diagnostic.File == File && diagnostic.Line >= 0 && diagnostic.Column >= 0, "a diagnostic without file or position");
            Check.That(!string.IsNullOrEmpty(diagnostic.Message) && !string.IsNullOrEmpty(diagnostic.Code), "a diagnostic without code or message");
        }

        var again = PolicyParser.Parse(text, options);
        Check.That(again.ContentHash == parsed.ContentHash && again.Diagnostics.SequenceEqual(parsed.Diagnostics) && (again.Policy is null) == (parsed.Policy is null), "parsing is not deterministic");
    }
}
