using YamlDotNet.Core;

namespace GuardGateway.Policies.Yaml;

/// <summary>A scalar; <see cref="IsNull"/> for empty, <c>~</c> and <c>null</c> in plain style.</summary>
internal sealed class YamlScalar(YamlPosition position, string value, ScalarStyle style) : YamlNode(position)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public bool IsNull => Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "a value";
}
