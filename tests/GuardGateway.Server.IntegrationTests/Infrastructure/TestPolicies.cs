namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>Small policies written into each test host's policy directory.</summary>
internal static class TestPolicies
{
    /// <summary>S1 blocks both ways, S6 is allowed on input and flagged on output, S7 blocks input and redacts output.</summary>
    public static string Default(string id = "default", string description = "test default") => $"""
        id: {id}
        description: {description}
        format: llama-guard-3-8b
        threshold: 0.5
        on_error: block
        refusal: "Blocked by test policy."
        categories:
          - code: S1
            name: Violent Crimes
            prompt: Violent Crimes.
            input: block
            output: block
          - code: S6
            name: Specialized Advice
            prompt: Specialized Advice.
            input: allow
            output: flag
          - code: S7
            name: Privacy
            prompt: Privacy.
            input: block
            output: redact
        """;

    /// <summary>Like <see cref="Default"/> but fails open (on_error: allow).</summary>
    public static string FailOpen(string id = "open") => Default(id, "fails open").Replace("on_error: block", "on_error: allow", StringComparison.Ordinal);

    /// <summary>Like <see cref="Default"/> but S1 is only flagged.</summary>
    public static string Lenient(string id = "lenient") => Default(id, "lenient").Replace(
        "    input: block\n    output: block",
        "    input: flag\n    output: flag",
        StringComparison.Ordinal);

    /// <summary>Two errors: an unknown top-level key on line 3 and a threshold outside [0, 1] on line 4.</summary>
    public static string Broken(string id = "broken") => $"""
        id: {id}
        format: llama-guard-3-8b
        colour: blue
        threshold: 1.5
        categories:
          - code: S1
            name: Violent Crimes
            prompt: Violent Crimes.
            input: block
            output: block
        """;

    /// <summary>Writes default.yaml, open.yaml and lenient.yaml.</summary>
    public static void WriteDefaults(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "default.yaml"), Default());
        File.WriteAllText(Path.Combine(directory, "open.yaml"), FailOpen());
        File.WriteAllText(Path.Combine(directory, "lenient.yaml"), Lenient());
    }
}
