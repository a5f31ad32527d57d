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
}
