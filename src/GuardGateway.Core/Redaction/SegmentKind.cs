namespace GuardGateway.Core.Redaction;

/// <summary>What kind of unit of model output a <see cref="TextSegment"/> is.</summary>
public enum SegmentKind
{
    /// <summary>A sentence ended by a terminator (<c>.</c>, <c>!</c>, <c>?</c>, <c>…</c>, <c>。</c>…), or the unterminated tail of the text.</summary>
    Sentence,

    /// <summary>A line ended by a line break without a sentence terminator (headings, table rows, short lines).</summary>
    Line,

    /// <summary>The first sentence of a list item (<c>- </c>, <c>* </c>, <c>+ </c>, <c>• </c>, <c>1. </c>, <c>1) </c>).</summary>
    ListItem,

    /// <summary>A fenced code block (<c>```</c> or <c>~~~</c>), kept whole from the opening to the closing fence.</summary>
    CodeBlock,

    /// <summary>Whitespace only: the whole text is blank. Never classified.</summary>
    Blank,
}
