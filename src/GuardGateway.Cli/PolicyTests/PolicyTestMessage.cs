namespace GuardGateway.Cli.PolicyTests;

/// <summary>One turn of a test conversation.</summary>
internal sealed class PolicyTestMessage
{
    /// <summary><c>user</c> or <c>assistant</c>.</summary>
    public string? Role { get; set; }

    /// <summary>The text.</summary>
    public string? Content { get; set; }
}
