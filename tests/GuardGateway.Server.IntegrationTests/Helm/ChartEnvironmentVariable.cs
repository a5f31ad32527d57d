namespace GuardGateway.Server.IntegrationTests.Helm;

/// <summary>
/// One environment variable the Helm chart can set: its name, and its value when the chart's template text or values
/// give it without helm (null for a Secret reference or a value computed by a template function).
/// </summary>
internal sealed record ChartEnvironmentVariable(string Name, string? Value);
