namespace GuardGateway.Policies.Tests.Infrastructure;

/// <summary>Policy texts for tests.</summary>
public static class PolicyTexts
{
    /// <summary>A small valid policy; <paramref name="s1"/> is S1's input/output action, <paramref name="extra"/> is appended.</summary>
    public static string Minimal(string id, string s1 = "block", string extra = "", string format = "llama-guard-3-8b", string s1Prompt = "Violent Crimes.") => $"""
        id: {id}
        format: {format}
        categories:
          - code: S1
            name: Violent Crimes
            prompt: {s1Prompt}
            input: {s1}
            output: {s1}
          - code: S2
            input: flag
            output: flag
        {extra}
        """;

    /// <summary>The sketch of POLICY_SKETCH.md, with every key used.</summary>
    public const string Full = """
        # policies/default.yaml
        id: full
        description: MLCommons hazard taxonomy as Llama Guard 3 8B was trained on it
        format: llama-guard-3-8b
        threshold: 0.4
        on_error: block
        unsupported_language: block
        refusal: "No."
        redaction: "[gone: {code} {name}]"
        include_descriptions: true
        categories:
          - code: S1
            name: Violent Crimes
            prompt: Violent Crimes.
            input: block
            output: block
          - code: S6
            name: Specialized Advice
            prompt: Specialized Advice.
            description: Financial, medical or legal advice.
            input: allow
            output: { action: flag, threshold: 0.7 }
          - code: S7
            input: block
            output: redact
          - code: S15
            name: Financial advice
            prompt: Financial advice.
            input: allow
            output:
              action: block
              threshold: 0.25
        exclude: [S15]
        bindings:
          api_keys: [team-a, team-b]
          models: [llama-3-8b-instruct]
        """;
}
