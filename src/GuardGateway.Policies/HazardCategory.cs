namespace GuardGateway.Policies;

/// <summary>One category of the hazard taxonomy.</summary>
/// <param name="Code">The code (<c>S1</c>…).</param>
/// <param name="Name">The taxonomy's display name (e.g. <c>Child Sexual Exploitation</c>).</param>
/// <param name="Prompt">The words the model was trained on (e.g. <c>Child Exploitation.</c>).</param>
public sealed record HazardCategory(string Code, string Name, string Prompt);
