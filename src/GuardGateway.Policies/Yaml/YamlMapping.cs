namespace GuardGateway.Policies.Yaml;

/// <summary>A mapping with scalar keys, in document order (duplicates were already reported and dropped).</summary>
internal sealed class YamlMapping(YamlPosition position, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries) : YamlNode(position)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    public override string KindName => "a mapping";

    public YamlNode? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry.Value;
            }
        }

        return null;
    }
}
