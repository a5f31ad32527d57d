using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.Masking;

namespace GuardGateway.Redaction.Tests.Masking;

public sealed class TextMaskerTests
{
    private const string Template = "[removed: {code} {name}]";
    private static readonly RedactionCategory Privacy = new("S7", "Privacy");
    private static readonly RedactionCategory Violence = new("S1", "Violent Crimes");

    [Fact]
    public void Mask_OneSpan_ReplacesWithExactOffsets()
    {
        var masked = TextMasker.Mask("Mail bob@x.io now", [new RedactionSpan(5, 8, Privacy)], Template);
        Assert.Equal("Mail [removed: S7 Privacy] now", masked.Text);
        var replacement = Assert.Single(masked.Replacements);
        Assert.Equal((5, 8, 5, 21), (replacement.OriginalStart, replacement.OriginalLength, replacement.RedactedStart, replacement.RedactedLength));
        Assert.Equal([Privacy], replacement.Categories);
    }

    [Fact]
    public void Mask_SeveralSpans_ShiftsLaterReplacementOffsets()
    {
        const string Text = "a 111 b 22 c";
        var masked = TextMasker.Mask(Text, [new RedactionSpan(8, 2, Privacy), new RedactionSpan(2, 3, Privacy)], "<{code}>");
        Assert.Equal("a <S7> b <S7> c", masked.Text);
        Assert.Equal([(2, 3, 2, 4), (8, 2, 9, 4)], masked.Replacements.Select(r => (r.OriginalStart, r.OriginalLength, r.RedactedStart, r.RedactedLength)));
        Assert.All(masked.Replacements, r => Assert.Equal("<S7>", masked.Text.Substring(r.RedactedStart, r.RedactedLength)));
    }

    [Fact]
    public void Mask_OverlappingAndAdjacentSpans_MergeAndNameEachCodeOnceInOrder()
    {
        const string Text = "0123456789abcdef";
        var masked = TextMasker.Mask(Text, [new RedactionSpan(6, 4, Privacy), new RedactionSpan(2, 5, Violence), new RedactionSpan(10, 2, Privacy), new RedactionSpan(3, 1, Privacy)], Template);
        Assert.Equal("01[removed: S1 Violent Crimes, S7 Privacy]cdef", masked.Text);
        var replacement = Assert.Single(masked.Replacements);
        Assert.Equal((2, 10), (replacement.OriginalStart, replacement.OriginalLength));
        Assert.Equal([Violence, Privacy], replacement.Categories);
    }

    [Fact]
    public void Mask_SpanSplittingSurrogatePair_WidensToWholePair()
    {
        const string Text = "x\U0001F600y";
        var masked = TextMasker.Mask(Text, [new RedactionSpan(2, 1, Privacy)], "#");
        Assert.Equal("x#y", masked.Text);
        Assert.Equal((1, 2), (masked.Replacements[0].OriginalStart, masked.Replacements[0].OriginalLength));

        masked = TextMasker.Mask(Text, [new RedactionSpan(0, 2, Privacy)], "#");
        Assert.Equal("#y", masked.Text);
    }

    [Fact]
    public void Mask_SpanSplittingCombiningOrZwjSequence_WidensToWholeElement()
    {
        const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        Assert.Equal("a # b", TextMasker.Mask($"a {Family} b", [new RedactionSpan(4, 1, Privacy)], "#").Text);
        Assert.Equal("#b", TextMasker.Mask("e\u0301b", [new RedactionSpan(0, 1, Privacy)], "#").Text);
    }

    [Fact]
    public void Mask_NoOrEmptySpans_ReturnsOriginal()
    {
        var masked = TextMasker.Mask("same", [new RedactionSpan(2, 0, Privacy)], Template);
        Assert.Equal("same", masked.Text);
        Assert.Empty(masked.Replacements);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(3, 2)]
    [InlineData(0, -1)]
    [InlineData(int.MaxValue, 1)]
    public void Mask_SpanOutsideText_Throws(int start, int length)
    {
        // Refused up front as the caller's bad span, not as an index error from somewhere inside the masker.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TextMasker.Mask("abcd", [new RedactionSpan(start, length, Privacy)], Template));
        Assert.Equal("spans", error.ParamName);
        Assert.Contains("lies outside a text of length 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_NullArguments_ThrowEvenWithNothingToMask()
    {
        Assert.Throws<ArgumentNullException>(() => TextMasker.Mask(null!, [], Template));
        Assert.Throws<ArgumentNullException>(() => TextMasker.Mask("abcd", null!, Template));
        Assert.Throws<ArgumentNullException>(() => TextMasker.Mask("abcd", [], (RedactionTemplate)null!));
        var error = Assert.Throws<ArgumentNullException>(() => TextMasker.Mask("abcd", [new RedactionSpan(1, 1, null!)], Template));
        Assert.Equal("spans", error.ParamName);
    }
}
