namespace GuardGateway.Policies.Yaml;

/// <summary>A sequence (list).</summary>
internal sealed class YamlSequence(YamlPosition position, IReadOnlyList<YamlNode> items) : YamlNode(position)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override string KindName => "a list";
}
