namespace GuardGateway.Cli.PolicyTests;

/// <summary>What a case must get.</summary>
internal sealed class PolicyTestExpectation
{
    /// <summary><c>allow</c>, <c>flag</c>, <c>redact</c> or <c>block</c> (required).</summary>
    public string? Decision { get; set; }

    /// <summary>When given: exactly these codes must be reported (order ignored).</summary>
    public List<string>? Categories { get; set; }
}
