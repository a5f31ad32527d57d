using CsCheck;
using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.Masking;

namespace GuardGateway.Redaction.Tests.Masking;

public sealed class TextMaskerPropertyTests
{
    private static readonly RedactionCategory[] Categories = [new("S7", "Privacy"), new("S1", "Violent Crimes"), new("S10", "Hate")];

    // The output is checked structurally against the replacement map, so the template may be anything.
    private const string Template = "\u2983{code}\u2984";

    private static readonly Gen<(string Text, RedactionSpan[] Spans)> Case =
        UnicodeGen.Text.Where(t => t.Length > 0).SelectMany(text =>
            Gen.Select(Gen.Int[0, text.Length], Gen.Int[0, 12], Gen.Int[0, Categories.Length - 1])
                .Select(t => new RedactionSpan(Math.Min(t.Item1, text.Length), Math.Min(t.Item2, text.Length - Math.Min(t.Item1, text.Length)), Categories[t.Item3]))
                .Array[0, 8]
                .Select(spans => (text, spans)));

    [Fact]
    public void Mask_RandomSpans_ValidUtf16AndNothingOfAMaskedSpanSurvives()
    {
        Case.Sample(c =>
        {
            var (text, spans) = c;
            var masked = TextMasker.Mask(text, spans, Template);
            Assert.True(UnicodeGen.IsValidUtf16(masked.Text));

            // Rebuild the output from the map: kept text between replacements, rendered template inside.
            var covered = new bool[text.Length];
            var kept = 0;
            var output = 0;
            var previousEnd = -1;
            foreach (var r in masked.Replacements)
            {
                Assert.True(r.OriginalStart > previousEnd, "replacements are ordered, disjoint and never touch (touching spans merge)");
                Assert.True(r.OriginalLength > 0);
                Assert.Equal(text[kept..r.OriginalStart], masked.Text.Substring(output, r.OriginalStart - kept));
                output += r.OriginalStart - kept;
                Assert.Equal(output, r.RedactedStart);
                Assert.Equal(new RedactionTemplate(Template).Render(r.Categories), masked.Text.Substring(r.RedactedStart, r.RedactedLength));
                Assert.Equal(r.Categories.Count, r.Categories.Select(x => x.Code).Distinct().Count());
                output += r.RedactedLength;
                kept = r.OriginalEnd;
                previousEnd = r.OriginalEnd;
                for (var i = r.OriginalStart; i < r.OriginalEnd; i++)
                {
                    covered[i] = true;
                }
            }

            Assert.Equal(text[kept..], masked.Text[output..]);

            // Every character of every non-empty input span lies inside a replacement.
            foreach (var span in spans)
            {
                for (var i = span.Start; i < span.End; i++)
                {
                    Assert.True(covered[i], $"char {i} of span [{span.Start},{span.End}) survived");
                }
            }

            var boundaries = UnicodeGen.ElementBoundaries(text);
            Assert.All(masked.Replacements, r => Assert.True(boundaries.Contains(r.OriginalStart) && boundaries.Contains(r.OriginalEnd)));
        }, iter: 3000);
    }
}
