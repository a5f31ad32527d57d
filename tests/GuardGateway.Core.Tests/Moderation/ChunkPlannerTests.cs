using CsCheck;
using GuardGateway.Core.Moderation;

namespace GuardGateway.Core.Tests.Moderation;

public sealed class ChunkPlannerTests
{
    [Fact]
    public void Plan_AnyLengthAndSize_CoversWithOverlapAndEveryShortPhraseWhole()
    {
        Gen.Select(Gen.Int[0, 5_000], Gen.Int[2, 600], Gen.Int[0, 299], Gen.Int[0, 4_999]).Sample((length, size, overlapSeed, phraseAt) =>
        {
            var overlap = overlapSeed % ((size + 1) / 2);
            var text = new string('a', length);
            var plan = ChunkPlanner.Plan(text, size, overlap);
            if (!ChunkPlanner.Covers(plan, length, overlap) || plan.Count > ChunkPlanner.EstimateCount(length, size, overlap))
            {
                return false;
            }

            // A phrase of `overlap` chars starting anywhere lies whole in some chunk.
            if (overlap == 0 || length < overlap)
            {
                return true;
            }

            var start = phraseAt % (length - overlap + 1);
            return plan.Any(r => r.Start.Value <= start && start + overlap <= r.End.Value);
        }, iter: 20_000, seed: "0ChunkSeed01");
    }

    [Fact]
    public void Plan_SurrogatePairsAtBoundaries_NeverSplit()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 500));

        foreach (var size in new[] { 3, 7, 10, 11 })
        {
            var plan = ChunkPlanner.Plan(text, size, 1);

            Assert.True(ChunkPlanner.Covers(plan, text.Length, 1));
            Assert.All(plan, r => Assert.False(char.IsLowSurrogate(text[r.Start.Value])));
            Assert.All(plan, r => Assert.True(r.End.Value == text.Length || !char.IsLowSurrogate(text[r.End.Value])));
        }
    }

    [Fact]
    public void Covers_GapOrShortEnd_False()
    {
        Assert.False(ChunkPlanner.Covers([new Range(0, 10), new Range(11, 20)], 20, 0));
        Assert.False(ChunkPlanner.Covers([new Range(0, 10), new Range(5, 19)], 20, 2));
        Assert.False(ChunkPlanner.Covers([new Range(0, 10), new Range(9, 20)], 20, 2));
        Assert.False(ChunkPlanner.Covers([], 0, 0));
        Assert.True(ChunkPlanner.Covers([new Range(0, 10), new Range(8, 20)], 20, 2));
    }
}
