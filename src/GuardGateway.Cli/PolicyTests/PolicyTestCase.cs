namespace GuardGateway.Cli.PolicyTests;

/// <summary>One sample conversation and the decision it must get.</summary>
internal sealed class PolicyTestCase
{
    /// <summary>What the case checks (printed in the report).</summary>
    public string? Name { get; set; }

    /// <summary>Policy id; default: the directory's default policy.</summary>
    public string? Policy { get; set; }

    /// <summary><c>input</c> or <c>output</c>; default: <c>output</c> when the last message is the assistant's, else <c>input</c>.</summary>
    public string? Direction { get; set; }

    /// <summary>Shorthand for a single user message.</summary>
    public string? Text { get; set; }

    /// <summary>The conversation (user/assistant turns, alternating from the user).</summary>
    public List<PolicyTestMessage> Messages { get; set; } = [];

    /// <summary>The expectation.</summary>
    public PolicyTestExpectation? Expect { get; set; }
}
