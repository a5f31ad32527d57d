namespace GuardGateway.Policies.Yaml;

/// <summary>A 1-based line and column in a policy file.</summary>
internal readonly record struct YamlPosition(int Line, int Column)
{
    public static YamlPosition From(YamlDotNet.Core.Mark mark) => new(Clamp(mark.Line), Clamp(mark.Column));

    private static int Clamp(long value) => value < 0 ? 0 : value > int.MaxValue ? int.MaxValue : (int)value;
}
