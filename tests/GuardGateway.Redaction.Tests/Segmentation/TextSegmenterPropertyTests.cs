using CsCheck;
using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.Segmentation;

namespace GuardGateway.Redaction.Tests.Segmentation;

public sealed class TextSegmenterPropertyTests
{
    [Fact]
    public void Split_RandomUnicode_CoversTextExactlyAtElementBoundaries()
    {
        UnicodeGen.Text.Sample(text =>
        {
            var segments = TextSegmenter.Split(text);
            Assert.Equal(text, string.Concat(segments.Select(s => text.Substring(s.Start, s.Length))));

            var boundaries = UnicodeGen.ElementBoundaries(text);
            var expectedStart = 0;
            for (var k = 0; k < segments.Count; k++)
            {
                var s = segments[k];
                Assert.Equal(k, s.Index);
                Assert.Equal(expectedStart, s.Start);
                Assert.True(s.Length > 0);
                Assert.Contains(s.Start, boundaries);
                Assert.Contains(s.End, boundaries);
                Assert.Contains(s.ContentStart, boundaries);
                Assert.Contains(s.ContentEnd, boundaries);
                Assert.InRange(s.ContentStart, s.Start, s.End);
                Assert.InRange(s.ContentEnd, s.ContentStart, s.End);
                Assert.Equal(text.Substring(s.ContentStart, s.ContentLength), s.Content);
                Assert.True(s.IsBlank == (s.Kind == SegmentKind.Blank));
                Assert.True(string.IsNullOrWhiteSpace(text[s.Start..s.ContentStart]) && string.IsNullOrWhiteSpace(text[s.ContentEnd..s.End]));
                Assert.False(char.IsLowSurrogate(text[s.Start]));
                expectedStart = s.End;
            }

            Assert.Equal(text.Length, expectedStart);
        }, iter: 3000);
    }

    [Fact]
    public void Split_PrefixOfRandomText_CompleteSegmentsAreFinal()
    {
        var cases = UnicodeGen.Text.Where(t => t.Length > 0).SelectMany(text =>
        {
            var cuts = UnicodeGen.ElementBoundaries(text).Order().ToArray();
            return Gen.Int[0, cuts.Length - 1].Select(k => (text, cut: cuts[k]));
        });
        cases.Sample(c =>
        {
            var full = TextSegmenter.Split(c.text);
            var partial = TextSegmenter.Split(c.text[..c.cut]);
            foreach (var segment in partial.Where(s => s.IsComplete))
            {
                var same = full[segment.Index];
                Assert.Equal((same.Start, same.ContentStart, same.ContentLength, same.Kind), (segment.Start, segment.ContentStart, segment.ContentLength, segment.Kind));
                if (segment.Index < partial.Count - 1)
                {
                    Assert.Equal(same.Length, segment.Length);
                }
            }
        }, iter: 3000);
    }
}
