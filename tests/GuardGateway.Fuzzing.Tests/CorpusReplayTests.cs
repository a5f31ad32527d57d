using GuardGateway.Fuzzing.Targets;
using GuardGateway.Fuzzing.Targets.Running;

namespace GuardGateway.Fuzzing.Tests;

/// <summary>T16 regression: every committed corpus input (seeds and former crashes) still gives a declared outcome.</summary>
public sealed class CorpusReplayTests
{
    private const int MinimumSeeds = 10;

    [Theory]
    [MemberData(nameof(FuzzTestData.TargetNames), MemberType = typeof(FuzzTestData))]
    public void Replay_EveryCorpusFile_NoCrashOrHang(string target)
    {
        var corpus = FuzzTestData.Corpus(target);
        Assert.True(corpus.Count >= MinimumSeeds, $"fuzz/corpus/{target} holds {corpus.Count} files; expected at least {MinimumSeeds}");

        var failures = new List<string>();
        var fuzzTarget = FuzzTestData.Target(target);
        foreach (var (name, bytes) in corpus)
        {
            // One file at a time, so a finding names its corpus file.
            var report = FuzzRunner.Replay(fuzzTarget, [bytes], new FuzzRunOptions(), CancellationToken.None);
            failures.AddRange(report.Findings.Select(f => $"{name}: {f.Kind}: {f.Description}"));
            Assert.Equal(1, report.Executions);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void CorpusFolders_EveryTargetHasOneAndNoneIsStray()
    {
        var folders = Directory.EnumerateDirectories(FuzzTestData.CorpusRoot).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal);

        Assert.Equal(FuzzTargetCatalog.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
    }
}
