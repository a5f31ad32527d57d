namespace GuardGateway.Core.Policies;

/// <summary>A stored policy as text.</summary>
/// <param name="Id">The policy id.</param>
/// <param name="Version">Its version (content hash and load time).</param>
/// <param name="Yaml">The YAML text exactly as stored.</param>
public sealed record PolicyDocument(string Id, string Version, string Yaml);
