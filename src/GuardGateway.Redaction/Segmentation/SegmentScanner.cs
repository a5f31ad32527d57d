using System.Buffers;
using System.Globalization;
using GuardGateway.Core.Redaction;

namespace GuardGateway.Redaction.Segmentation;

/// <summary>
/// The state of one <see cref="TextSegmenter.Split"/> pass. It walks text elements, never raw chars, so every
/// boundary it emits is a grapheme boundary; look-behind and look-ahead only read chars and are bounded
/// (abbreviations) or re-read a whitespace run at most once more (the lower-case check), keeping it linear.
/// </summary>
internal sealed class SegmentScanner(string text, List<TextSegment> segments)
{
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\n\r\v\f\u0085\u2028\u2029");

    private int _segmentStart;
    private int _contentStart = -1;
    private int _contentEnd = -1;
    private SegmentKind _kind = SegmentKind.Sentence;
    private bool _terminated;
    private bool _endedByLineBreak;
    private bool _unclosedFence;

    // A sentence end or line break was seen: the next non-whitespace element starts a new segment.
    private bool _pending;

    // No non-whitespace element yet on the current line (fences and list markers are only recognized there).
    private bool _atLineStart = true;

    public void Run()
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var length = StringInfo.GetNextTextElementLength(text.AsSpan(i));
            if (IsWhiteSpaceElement(i, length))
            {
                if (TextChars.IsLineBreak(c))
                {
                    if (_contentStart >= 0 && !_pending)
                    {
                        _endedByLineBreak = true;
                    }

                    _pending = true;
                    _atLineStart = true;
                }

                i += length;
                continue;
            }

            if (_pending || _contentStart < 0)
            {
                StartSegment(i);
                if (_atLineStart)
                {
                    _atLineStart = false;
                    if (FenceScanner.TryMatch(text, i, out var fenceEnd, out var closed))
                    {
                        _kind = SegmentKind.CodeBlock;
                        _unclosedFence = !closed;
                        _contentEnd = fenceEnd;
                        _pending = true;
                        i = fenceEnd;
                        continue;
                    }

                    var markerEnd = ListMarkerEnd(i);
                    if (markerEnd > i)
                    {
                        // The marker is consumed here so "1." is never taken for a sentence end.
                        _kind = SegmentKind.ListItem;
                        _contentEnd = markerEnd;
                        i = markerEnd;
                        continue;
                    }
                }
            }

            _atLineStart = false;
            i += length;
            _contentEnd = i;
            if (TextChars.IsTerminator(c))
            {
                i = AfterTerminatorRun(i - length, i);
            }
        }

        if (_contentStart >= 0)
        {
            Emit(text.Length, last: true);
        }
        else
        {
            segments.Add(new TextSegment(0, 0, text.Length, 0, 0, SegmentKind.Blank, string.Empty, IsComplete: false));
        }
    }

    private void StartSegment(int index)
    {
        if (_contentStart >= 0)
        {
            Emit(index, last: false);
        }

        _contentStart = index;
        _contentEnd = index;
        _kind = SegmentKind.Sentence;
        _terminated = false;
        _endedByLineBreak = false;
        _unclosedFence = false;
        _pending = false;
    }

    private void Emit(int end, bool last)
    {
        var kind = _kind switch
        {
            SegmentKind.CodeBlock or SegmentKind.ListItem => _kind,
            _ when _terminated => SegmentKind.Sentence,
            _ when _endedByLineBreak => SegmentKind.Line,
            _ => SegmentKind.Sentence,
        };
        var content = text.Substring(_contentStart, _contentEnd - _contentStart);
        // The last segment is final only once a line break follows it: before that, more text could extend the
        // sentence, turn "e.g." into a non-boundary, or make "```" something other than a closing fence.
        var complete = !last || (!_unclosedFence && text.AsSpan(_contentEnd, end - _contentEnd).IndexOfAny(LineBreaks) >= 0);
        segments.Add(new TextSegment(segments.Count, _segmentStart, end - _segmentStart, _contentStart, _contentEnd - _contentStart, kind, content, complete));
        _segmentStart = end;
    }

    /// <summary>Absorbs further terminators and closing quotes/brackets, then decides whether the sentence ends.</summary>
    private int AfterTerminatorRun(int terminatorIndex, int i)
    {
        var first = text[terminatorIndex];
        var fullWidth = TextChars.IsFullWidthTerminator(first);
        while (i < text.Length && (TextChars.IsTerminator(text[i]) || TextChars.IsCloser(text[i])))
        {
            fullWidth |= TextChars.IsFullWidthTerminator(text[i]);
            i += StringInfo.GetNextTextElementLength(text.AsSpan(i));
            _contentEnd = i;
        }

        if (IsSentenceEnd(terminatorIndex, first, fullWidth, i))
        {
            _terminated = true;
            _pending = true;
        }

        return i;
    }

    private bool IsSentenceEnd(int terminatorIndex, char first, bool fullWidth, int after)
    {
        // CJK full stops end a sentence without a following space.
        if (fullWidth || after >= text.Length)
        {
            return true;
        }

        var next = text[after];
        if (!char.IsWhiteSpace(next))
        {
            return false; // "3.14", "e.g.x", "example.com", "v1.2"
        }

        if (TextChars.IsLineBreak(next) || first is not ('.' or '…'))
        {
            return true;
        }

        var following = NextNonBlank(after);
        // "e.g. the", "approx. three", "etc. and": a lower-case continuation is the same sentence.
        if (char.IsLower(following))
        {
            return false;
        }

        return first != '.' || !Abbreviations.EndsWithAbbreviation(text, terminatorIndex, char.IsAsciiDigit(following));
    }

    /// <summary>The first char after the spaces at <paramref name="index"/> on the same line, or <c>'\0'</c> at a line break or the end.</summary>
    private char NextNonBlank(int index)
    {
        for (var j = index; j < text.Length; j++)
        {
            var c = text[j];
            if (TextChars.IsLineBreak(c))
            {
                return '\0';
            }

            if (!char.IsWhiteSpace(c))
            {
                return c;
            }
        }

        return '\0';
    }

    /// <summary>The end of a list marker at <paramref name="index"/> ("- ", "* ", "+ ", "• ", "12. ", "3) "), or <paramref name="index"/>.</summary>
    private int ListMarkerEnd(int index)
    {
        var c = text[index];
        if (TextChars.IsBullet(c))
        {
            return IsBlankAt(index + 1) ? index + 1 : index;
        }

        var j = index;
        while (j < text.Length && j - index < 9 && char.IsAsciiDigit(text[j]))
        {
            j++;
        }

        if (j > index && j < text.Length && text[j] is '.' or ')' && IsBlankAt(j + 1))
        {
            return j + 1;
        }

        return index;
    }

    /// <summary>Whitespace elements are single whitespace chars or CRLF; a space carrying a combining mark is content.</summary>
    private bool IsWhiteSpaceElement(int index, int length) =>
        length == 1 ? char.IsWhiteSpace(text[index]) : length == 2 && text[index] == '\r' && text[index + 1] == '\n';

    private bool IsBlankAt(int index) => index < text.Length && text[index] is ' ' or '\t';
}
