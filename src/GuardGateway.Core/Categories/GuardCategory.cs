namespace GuardGateway.Core.Categories;

/// <summary>One hazard category line of the guard prompt.</summary>
/// <param name="Code">The code the model answers with (<c>S1</c>, <c>S2</c>, …).</param>
/// <param name="Text">The words rendered after the code (the trained names by default, e.g. <c>Violent Crimes.</c>).</param>
/// <param name="Description">Optional long description, rendered on the next line when descriptions are on.</param>
public sealed record GuardCategory(string Code, string Text, string? Description = null);
