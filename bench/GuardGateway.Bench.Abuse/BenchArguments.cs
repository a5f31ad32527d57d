using System.Globalization;

namespace GuardGateway.Bench.Abuse;

/// <summary><c>--name value</c> pairs after the mode.</summary>
internal sealed class BenchArguments(IReadOnlyList<string> args)
{
    private readonly Dictionary<string, string> values = Parse(args);

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    private static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        return map;
    }
}
