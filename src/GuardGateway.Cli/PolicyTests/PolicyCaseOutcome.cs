namespace GuardGateway.Cli.PolicyTests;

/// <summary>How one case went.</summary>
/// <param name="Name">The case's name.</param>
/// <param name="Passed">Whether the decision matched.</param>
/// <param name="Detail">What was expected and what came, or why the case could not run.</param>
internal sealed record PolicyCaseOutcome(string Name, bool Passed, string Detail);
