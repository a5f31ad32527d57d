namespace GuardGateway.Core.Redaction;

/// <summary>The category a redacted span is attributed to, as the policy names it.</summary>
/// <param name="Code">The category code (<c>S7</c>…); substituted for <c>{code}</c> in the template.</param>
/// <param name="Name">The display name (<c>Privacy</c>…); substituted for <c>{name}</c> in the template.</param>
public sealed record RedactionCategory(string Code, string Name);
