using GuardGateway.Fuzzing.Targets;
using GuardGateway.Fuzzing.Targets.Running;
using GuardGateway.TestUtilities;

namespace GuardGateway.Fuzzing.Tests;

/// <summary>Target names for theories, and their seed corpora.</summary>
internal static class FuzzTestData
{
    public static TheoryData<string> TargetNames => [.. FuzzTargetCatalog.All.Select(t => t.Name)];

    public static string CorpusRoot => RepositoryPaths.Combine("fuzz", "corpus");

    public static IReadOnlyList<(string Name, byte[] Bytes)> Corpus(string target) => FuzzCorpus.Load(Path.Combine(CorpusRoot, target));

    public static IFuzzTarget Target(string name) => FuzzTargetCatalog.Find(name) ?? throw new ArgumentException("unknown target " + name, nameof(name));

    public static string Describe(FuzzRunReport report) =>
        report + string.Concat(report.Findings.Select(f => $"\n  {f.Kind} on {Convert.ToHexString(f.Input.AsSpan(0, Math.Min(f.Input.Length, 256)))}: {f.Description}"));
}
