using GuardGateway.Policies.Yaml;

namespace GuardGateway.Policies.Parsing;

/// <summary>One binding value with its position, for clash diagnostics across files.</summary>
/// <param name="Kind"><c>api_keys</c> or <c>models</c>.</param>
/// <param name="Value">The key id or model name.</param>
/// <param name="Position">Where it is written.</param>
internal readonly record struct BindingEntry(string Kind, string Value, YamlPosition Position);
