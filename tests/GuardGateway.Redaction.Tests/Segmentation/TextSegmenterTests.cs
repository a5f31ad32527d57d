using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.Segmentation;

namespace GuardGateway.Redaction.Tests.Segmentation;

public sealed class TextSegmenterTests
{
    private static List<string> Contents(string text) => TextSegmenter.Split(text).Select(s => s.Content).ToList();

    [Fact]
    public void Split_TwoSentences_SplitsAfterTheSpace()
    {
        var segments = TextSegmenter.Split("Hello world. This is a test.");
        Assert.Equal(2, segments.Count);
        Assert.Equal((0, 13, 0, 12), (segments[0].Start, segments[0].Length, segments[0].ContentStart, segments[0].ContentLength));
        Assert.Equal((13, 15, 13, 15), (segments[1].Start, segments[1].Length, segments[1].ContentStart, segments[1].ContentLength));
        Assert.Equal([0, 1], segments.Select(s => s.Index));
        Assert.All(segments, s => Assert.Equal(SegmentKind.Sentence, s.Kind));
    }

    [Theory]
    [InlineData("See e.g. the docs. Next one.", new[] { "See e.g. the docs.", "Next one." })]
    [InlineData("Dr. Smith arrived. He left.", new[] { "Dr. Smith arrived.", "He left." })]
    [InlineData("Pi is 3.14 exactly. Yes.", new[] { "Pi is 3.14 exactly.", "Yes." })]
    [InlineData("Visit example.com today. Then rest.", new[] { "Visit example.com today.", "Then rest." })]
    [InlineData("Read No. 5 and Fig. 2 first. Done.", new[] { "Read No. 5 and Fig. 2 first.", "Done." })]
    [InlineData("J. R. R. Tolkien wrote it. Really.", new[] { "J. R. R. Tolkien wrote it.", "Really." })]
    [InlineData("Apples, pears, etc. are fruit. Yes.", new[] { "Apples, pears, etc. are fruit.", "Yes." })]
    [InlineData("Wait... what? No!", new[] { "Wait... what?", "No!" })]
    [InlineData("Wait... Then it happened.", new[] { "Wait...", "Then it happened." })]
    [InlineData("He said \"Stop.\" Then he left.", new[] { "He said \"Stop.\"", "Then he left." })]
    [InlineData("Really?! Yes (truly.) Fine", new[] { "Really?!", "Yes (truly.)", "Fine" })]
    [InlineData("你好。我很好！你呢？", new[] { "你好。", "我很好！", "你呢？" })]
    [InlineData("「行くよ。」と言った。", new[] { "「行くよ。」", "と言った。" })]
    [InlineData("It is **done.** Next.", new[] { "It is **done.**", "Next." })]
    [InlineData("No terminator at all", new[] { "No terminator at all" })]
    [InlineData("Room 101, ext. 4321. Tel. 555 is out.", new[] { "Room 101, ext. 4321.", "Tel. 555 is out." })]
    public void Split_Prose_SplitsAtSentenceEnds(string text, string[] expected) => Assert.Equal(expected, Contents(text));

    [Fact]
    public void Split_ListsAndLines_MarksKinds()
    {
        var segments = TextSegmenter.Split("Items:\n- first item\n- second. With two sentences\n12. numbered\n# Heading\n");
        Assert.Equal(["Items:", "- first item", "- second.", "With two sentences", "12. numbered", "# Heading"], segments.Select(s => s.Content));
        Assert.Equal([SegmentKind.Line, SegmentKind.ListItem, SegmentKind.ListItem, SegmentKind.Line, SegmentKind.ListItem, SegmentKind.Line], segments.Select(s => s.Kind));
    }

    [Fact]
    public void Split_CodeFence_KeptWhole()
    {
        const string Code = "```python\nprint('a. b. c.')\n\nx = 1. \n```";
        var segments = TextSegmenter.Split($"Here:\n{Code}\nDone. Bye.");
        Assert.Equal(["Here:", Code, "Done.", "Bye."], segments.Select(s => s.Content));
        Assert.Equal(SegmentKind.CodeBlock, segments[1].Kind);
    }

    [Fact]
    public void Split_TildeFenceNeedsEqualOrLongerClose()
    {
        const string Code = "~~~~\n~~~\nstill code.\n~~~~";
        Assert.Equal(["Text.", Code, "After."], Contents($"Text.\n{Code}\nAfter."));
    }

    [Fact]
    public void Split_UnclosedFence_RunsToEnd()
    {
        var segments = TextSegmenter.Split("Look:\n  ```\nrm -rf /. Then more.\n");
        Assert.Equal(2, segments.Count);
        Assert.Equal(SegmentKind.CodeBlock, segments[1].Kind);
        Assert.Equal("```\nrm -rf /. Then more.\n", segments[1].Content);
    }

    [Fact]
    public void Split_OneLineFence_IsOneBlock()
    {
        Assert.Equal(["```x = 1. y = 2.```", "Done."], Contents("```x = 1. y = 2.```\nDone."));
    }

    [Fact]
    public void Split_LeadingAndTrailingWhitespace_BelongToFirstAndLastSegments()
    {
        var segments = TextSegmenter.Split("  Hi.  There. \n\n");
        Assert.Equal(2, segments.Count);
        Assert.Equal((0, 7, 2, 3), (segments[0].Start, segments[0].Length, segments[0].ContentStart, segments[0].ContentLength));
        Assert.Equal((7, 9, 7, 6), (segments[1].Start, segments[1].Length, segments[1].ContentStart, segments[1].ContentLength));
    }

    [Fact]
    public void Split_BlankAndEmpty_BlankSegmentOrNone()
    {
        Assert.Empty(TextSegmenter.Split(string.Empty));
        var blank = Assert.Single(TextSegmenter.Split(" \n\t "));
        Assert.Equal((0, 4, true, SegmentKind.Blank), (blank.Start, blank.Length, blank.IsBlank, blank.Kind));
    }

    [Fact]
    public void Split_CrLfLines_SplitsPerLine()
    {
        Assert.Equal(["Line one", "Line two"], Contents("Line one\r\nLine two"));
    }

    [Fact]
    public void Split_EmojiAndCombiningAtBoundaries_KeepsSequencesWhole()
    {
        const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        var text = $"Family {Family}. Cafe\u0301 time. Flag \U0001F1EB\U0001F1F7! Ok";
        Assert.Equal([$"Family {Family}.", "Cafe\u0301 time.", "Flag \U0001F1EB\U0001F1F7!", "Ok"], Contents(text));
    }

    [Theory]
    [InlineData("One. Two", false)]
    [InlineData("One. Two.", false)]
    [InlineData("One. Two. ", false)]
    [InlineData("One. Two.\n", true)]
    [InlineData("One.\n```\ncode\n```", false)]
    [InlineData("One.\n```\ncode\n```\n", true)]
    [InlineData("One.\n```\ncode\n\n", false)]
    public void Split_PartialStream_OnlyLastSegmentMayBeIncomplete(string text, bool lastComplete)
    {
        var segments = TextSegmenter.Split(text);
        Assert.All(segments.SkipLast(1), s => Assert.True(s.IsComplete));
        Assert.Equal(lastComplete, segments[^1].IsComplete);
    }

    [Fact]
    public void Split_LongRepetitiveInput_IsLinear()
    {
        // 200k characters of abbreviations, decimals, list markers and fences finish in well under the test timeout.
        var text = string.Concat(Enumerable.Repeat("e.g. 3.14 Dr. x... ```\n- 1. a。", 8000));
        var segments = TextSegmenter.Split(text);
        Assert.Equal(text, string.Concat(segments.Select(s => text.Substring(s.Start, s.Length))));
    }
}
