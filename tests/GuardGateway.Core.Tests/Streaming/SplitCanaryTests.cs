using System.Diagnostics;
using CsCheck;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>RELIABILITY.md T3: a canary split across chunks is never delivered intact, and only verified text leaves.</summary>
public sealed class SplitCanaryTests
{
    private static readonly string[] Prefixes =
    [
        "The harbor is calm today. Boats drift slowly past old piers, and ",
        "Gulls circle above.\n",
        "a ",
        "",
        "The lighthouse keeper waves at children on the shore while the weather stays fine and the tea is warm. ",
    ];

    private static readonly string[] Suffixes = [" and then the sails go up. Done.", "", ".", "\nMaps and ropes."];

    [Fact]
    public async Task ModerateAsync_EveryCanaryEverySplitEveryChunkSize_NeverDeliversCanary()
    {
        var streams = 0;
        for (var c = 0; c < StreamTestData.Canaries.Count; c++)
        {
            var canary = StreamTestData.Canaries[c];
            for (var split = 1; split < canary.Length; split++)
            {
                for (var size = 1; size <= 16; size++)
                {
                    var placement = (CanaryPlacement)((c + split + size) % 3);
                    var options = CanaryStream.Variant(c + split + size, size);
                    var prefix = Prefixes[(c + split) % Prefixes.Length];
                    var suffix = Suffixes[(c + size) % Suffixes.Length];

                    var (transcript, upstream) = await CanaryStream.RunAsync(canary, split, size, placement, options, prefix, suffix);

                    CanaryStream.AssertBlocked(transcript, canary, placement);
                    Assert.True(upstream.Disposed);
                    streams++;
                }
            }
        }

        Assert.True(streams > 10_000, $"only {streams} streams");
    }

    [Fact]
    public async Task ModerateAsync_GeneratedSplitsPlacementsAndCheckPoints_NeverDeliverCanary()
    {
        var words = Gen.OneOf(StreamTestData.BenignWords);
        var ends = Gen.OneOf(StreamTestData.Ends);
        var benign = Gen.Select(words, ends, (w, e) => w + e).Array[0, 12].Select(string.Concat);
        var cases = Gen.Select(
            Gen.Int[0, StreamTestData.Canaries.Count - 1],
            Gen.Int[0, 1000],
            Gen.Int[1, 16],
            Gen.Enum<CanaryPlacement>(),
            Gen.Int[0, 3],
            benign,
            benign,
            (c, at, size, placement, variant, prefix, suffix) => (c, at, size, placement, variant, prefix, suffix));
        var budget = Stopwatch.StartNew();

        await cases.SampleAsync(
            async t =>
            {
                var canary = StreamTestData.Canaries[t.c];
                var split = 1 + (t.at % (canary.Length - 1));
                var (transcript, _) = await CanaryStream.RunAsync(canary, split, t.size, t.placement, CanaryStream.Variant(t.variant, t.size), t.prefix, t.suffix);
                CanaryStream.AssertBlocked(transcript, canary, t.placement);
            },
            seed: "0N0XIzNsQ0O2",
            iter: 3000,
            threads: 1);

        Assert.True(budget.Elapsed < TimeSpan.FromSeconds(20), "the property test must stay fast");
    }
}
