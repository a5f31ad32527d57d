namespace GuardGateway.Policies.Yaml;

/// <summary>A node of the small YAML tree policies are read from (positions kept for diagnostics).</summary>
internal abstract class YamlNode(YamlPosition position)
{
    public YamlPosition Position { get; } = position;

    /// <summary>What to call this kind of node in a diagnostic.</summary>
    public abstract string KindName { get; }
}
