using System.Globalization;
using GuardGateway.Fuzzing.Targets.Running;
using Xunit.Abstractions;

namespace GuardGateway.Fuzzing.Tests;

/// <summary>
/// T16 CI smoke: the built-in, seeded mutation loop over each target's corpus. 100,000 executions per target,
/// except text-prompt (the prompt render through the demo tokenizer costs ~0.2 ms; see fuzz/README.md for the
/// measured rates). GUARDGATEWAY_FUZZ_EXECS scales every count (e.g. 0.1 for a quick local run, 10 for a
/// longer one); GUARDGATEWAY_FUZZ_SEED picks another seed (the failure message prints the input).
/// </summary>
public sealed class MutationSmokeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TotalBound = TimeSpan.FromSeconds(120);

    public static TheoryData<string, int> Budgets => new()
    {
        { "openai-json", 100_000 },
        { "sse", 100_000 },
        { "kserve-tensor", 100_000 },
        { "text-prompt", 40_000 },
        { "guard-output", 100_000 },
        { "policy", 100_000 },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Mutate_SeededSmoke_NoCrashNoHang(string target, int executions)
    {
        var scaled = Math.Max(1, (long)(executions * Setting("GUARDGATEWAY_FUZZ_EXECS", 1.0)));
        var options = new FuzzRunOptions
        {
            MaxExecutions = scaled,
            MaxDuration = TotalBound,
            PerInputLimit = TimeSpan.FromSeconds(1),
            Seed = (int)Setting("GUARDGATEWAY_FUZZ_SEED", 20261128),
        };
        var corpus = FuzzTestData.Corpus(target).Select(f => f.Bytes).ToList();

        var report = FuzzRunner.Mutate(FuzzTestData.Target(target), corpus, options, CancellationToken.None);

        output.WriteLine(report.ToString());
        Assert.True(report.Findings.Count == 0, FuzzTestData.Describe(report));
        Assert.True(report.Executions == scaled, $"only {report.Executions} of {scaled} executions within {TotalBound.TotalSeconds} s: {report}");
    }

    [Fact]
    public void Budgets_CoverEveryTarget()
    {
        var names = Budgets.Cast<object[]>().Select(row => (string)row[0]).Order(StringComparer.Ordinal);

        Assert.Equal(FuzzTestData.TargetNames.Cast<object[]>().Select(row => (string)row[0]).Order(StringComparer.Ordinal), names);
    }

    private static double Setting(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
