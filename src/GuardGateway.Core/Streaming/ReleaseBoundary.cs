using System.Text;

namespace GuardGateway.Core.Streaming;

/// <summary>How far verified text may be released now.</summary>
internal static class ReleaseBoundary
{
    /// <summary>
    /// The end (exclusive) of the text to release, in [<paramref name="released"/>, <paramref name="verified"/>].
    /// Before the final check a trailing partial word of at most <paramref name="maxHeldWord"/> characters is
    /// held back (it is verified, but a phrase cut at the check point has not been judged whole yet), and a
    /// surrogate pair is never split.
    /// </summary>
    public static int Find(StringBuilder text, int released, int verified, bool final, int maxHeldWord)
    {
        if (final || verified <= released)
        {
            return Math.Max(released, verified);
        }

        var target = verified;

        // The verified text ends at a word end when the next received character is whitespace, or when it
        // ends with whitespace or a sentence terminator (a sentence-end check releases the whole sentence).
        var last = text[verified - 1];
        var endsAtWordEnd = (verified < text.Length && char.IsWhiteSpace(text[verified]))
            || char.IsWhiteSpace(last)
            || SentenceEnds.IsTerminator(last);
        if (!endsAtWordEnd && maxHeldWord > 0)
        {
            var i = verified - 1;
            while (i >= released && !char.IsWhiteSpace(text[i]))
            {
                i--;
            }

            if (verified - (i + 1) <= maxHeldWord)
            {
                target = i + 1;
            }
        }

        if (target > released && char.IsHighSurrogate(text[target - 1]))
        {
            target--;
        }

        return Math.Max(released, target);
    }
}
