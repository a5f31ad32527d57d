using GuardGateway.Fuzzing.Targets;
using GuardGateway.Fuzzing.Targets.Running;

namespace GuardGateway.Fuzzing.Tests;

/// <summary>The harness itself: it must see crashes and hangs, and be reproducible for a seed.</summary>
public sealed class FuzzRunnerTests
{
    [Fact]
    public void Mutate_TargetThrowsOnSomeInput_ReportsCrashWithTheInput()
    {
        var target = new FakeTarget(input => input.IndexOf((byte)'!') >= 0 ? throw new FormatException("boom") : 0);

        var report = FuzzRunner.Mutate(target, ["abc"u8.ToArray()], new FuzzRunOptions { MaxExecutions = 100_000, Seed = 3 }, CancellationToken.None);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("crash", finding.Kind);
        Assert.Contains((byte)'!', finding.Input);
        Assert.Contains("FormatException", finding.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_InputRunsPastTheLimit_ReportsHangWhileItRuns()
    {
        var target = new FakeTarget(input =>
        {
            if (input.Length > 0 && input[0] == (byte)'h')
            {
                Thread.Sleep(TimeSpan.FromSeconds(3));
            }

            return 0;
        });

        var report = FuzzRunner.Replay(target, ["ok"u8.ToArray(), "hang"u8.ToArray(), "ok"u8.ToArray()], new FuzzRunOptions { PerInputLimit = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("hang", finding.Kind);
        Assert.Equal("hang"u8.ToArray(), finding.Input);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(2), "the watchdog should report before the input returns");
    }

    [Fact]
    public void Mutator_SameSeed_SameInputs()
    {
        byte[][] corpus = ["{\"a\":1}"u8.ToArray(), "data: x\n\n"u8.ToArray()];
        byte[][] dictionary = ["null"u8.ToArray()];
        var first = new Mutator(42, corpus, dictionary, 256);
        var second = new Mutator(42, corpus, dictionary, 256);

        for (var i = 0; i < 1000; i++)
        {
            var input = first.Next();
            Assert.Equal(input, second.Next());
            Assert.True(input.Length <= 256);
        }
    }

    private sealed class FakeTarget(Func<byte[], int> body) : IFuzzTarget
    {
        public string Name => "fake";

        public IReadOnlyList<byte[]> Dictionary { get; } = ["!"u8.ToArray()];

        public void Execute(ReadOnlySpan<byte> input) => body(input.ToArray());
    }
}
