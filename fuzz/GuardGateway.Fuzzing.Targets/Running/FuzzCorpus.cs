namespace GuardGateway.Fuzzing.Targets.Running;

/// <summary>Seed corpus files: <c>fuzz/corpus/&lt;target&gt;/*</c>, one input per file, read as raw bytes.</summary>
public static class FuzzCorpus
{
    /// <summary>Every file of <paramref name="directory"/> (not recursive), ordered by name; empty when it does not exist.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }
}
