namespace GuardGateway.Redaction.Detection;

/// <summary>
/// Phone numbers in three shapes, not every digit run:
/// international (<c>+44 20 7946 0958</c>, <c>+1 (555) 123-4567</c>, <c>0044 20 7946 0958</c>: 8–15 digits);
/// North American (<c>(555) 123-4567</c>, <c>555-123-4567</c>, <c>1-800-555-0199</c>: 3-3-4 with consistent
/// separators); national with a trunk 0 (<c>020 7946 0958</c>, <c>06 12 34 56 78</c>, <c>0612345678</c>:
/// 9–11 digits). Dates (<c>2024-01-31</c>, <c>31.01.2024</c>, <c>01/31/2024</c>), versions, prices, times
/// and decimals match none of the shapes or are rejected by their surroundings.
/// </summary>
internal sealed class PhoneNumberDetector : IPiiDetector
{
    private const int MaxWindowGroups = 8;

    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        var groups = new List<DigitGroup>();
        var i = 0;
        while (i < text.Length)
        {
            ScanChars.CheckCancellation(i, cancellationToken);
            var c = text[i];
            if (!(char.IsAsciiDigit(c) || c is '+' or '(') || !IsRunStart(text, i))
            {
                i++;
                continue;
            }

            var runEnd = ReadRun(text, i, groups, out var international);
            if (groups.Count > 0 && IsRunEnd(text, runEnd))
            {
                FindNumbers(text, groups, international, matches);
            }

            i = Math.Max(runEnd, i + 1);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static bool IsRunStart(string text, int index) =>
        index == 0 || !(ScanChars.IsWordChar(text[index - 1]) || text[index - 1] is '+' or '.' or ',' or '/' or '-' or '$' or '€' or '£' or '¥' or '#' or '@' or '\\' or ')');

    private static bool IsRunEnd(string text, int index)
    {
        if (index >= text.Length)
        {
            return true;
        }

        var c = text[index];
        return !ScanChars.IsWordChar(c) && c != '@' && !(c is '/' or ':' or ',' or '.' or '-' && ScanChars.IsDigitAt(text, index + 1));
    }

    /// <summary>Reads digit groups separated by one space, dash, dot or no-break space, or wrapped in parentheses.</summary>
    private static int ReadRun(string text, int start, List<DigitGroup> groups, out bool international)
    {
        groups.Clear();
        var j = start;
        international = text[j] == '+';
        if (international)
        {
            j++;
        }

        var separator = '\0';
        var runEnd = start;
        while (j < text.Length)
        {
            var paren = text[j] == '(';
            var digitsStart = paren ? j + 1 : j;
            var k = digitsStart;
            while (k < text.Length && char.IsAsciiDigit(text[k]))
            {
                k++;
            }

            if (k == digitsStart || (paren && (k >= text.Length || text[k] != ')')))
            {
                break;
            }

            groups.Add(new DigitGroup(digitsStart, k - digitsStart, paren, separator));
            j = paren ? k + 1 : k;
            runEnd = j;

            separator = '\0';
            if (j < text.Length && text[j] is ' ' or '-' or '.' or '\u00A0')
            {
                separator = text[j];
                j++;
            }

            if (j >= text.Length || !(char.IsAsciiDigit(text[j]) || text[j] == '('))
            {
                break;
            }
        }

        if (international && (groups.Count == 0 || groups[0].Paren || groups[0].Start != start + 1))
        {
            international = false;
        }

        return runEnd;
    }

    private static void FindNumbers(string text, List<DigitGroup> groups, bool international, List<PiiMatch> matches)
    {
        var g = 0;
        while (g < groups.Count)
        {
            var matched = -1;
            if (g == 0 || IsSpace(groups[g].SeparatorBefore))
            {
                for (var h = Math.Min(groups.Count - 1, g + MaxWindowGroups - 1); h >= g && matched < 0; h--)
                {
                    // A number cannot end where a dash or dot joins it to the next group.
                    if (h < groups.Count - 1 && !IsSpace(groups[h + 1].SeparatorBefore))
                    {
                        continue;
                    }

                    var window = new Window(text, groups, g, h);
                    if ((international && g == 0) ? window.IsInternational() : window.IsNorthAmerican() || window.IsInternationalWithZeros() || window.IsNationalWithTrunk())
                    {
                        matched = h;
                    }
                }
            }

            if (matched < 0)
            {
                g++;
                continue;
            }

            var first = groups[g];
            var last = groups[matched];
            var start = international && g == 0 ? first.Start - 1 : first.Paren ? first.Start - 1 : first.Start;
            var end = last.Start + last.Length + (last.Paren ? 1 : 0);
            matches.Add(new PiiMatch(start, end - start, PiiKind.PhoneNumber));
            g = matched + 1;
        }
    }

    private static bool IsSpace(char separator) => separator is ' ' or '\u00A0';

    /// <summary>A run of digits; <see cref="SeparatorBefore"/> is <c>'\0'</c> for the first group or when parentheses touch.</summary>
    private readonly record struct DigitGroup(int Start, int Length, bool Paren, char SeparatorBefore);

    /// <summary>Groups <c>g..h</c> of a run, tested against each number shape.</summary>
    private readonly ref struct Window(string text, List<DigitGroup> groups, int g, int h)
    {
        private int Count => h - g + 1;

        private DigitGroup this[int k] => groups[g + k];

        private int Digits
        {
            get
            {
                var sum = 0;
                for (var k = g; k <= h; k++)
                {
                    sum += groups[k].Length;
                }

                return sum;
            }
        }

        /// <summary>After a <c>+</c>: 8–15 digits, a country code of 1–4 digits when grouped.</summary>
        public bool IsInternational() => Digits is >= 8 and <= 15 && (Count == 1 || this[0].Length <= 4) && ParenCount() <= 1;

        /// <summary><c>00</c> international prefix: 8–15 digits after it, at least two groups.</summary>
        public bool IsInternationalWithZeros() =>
            Count >= 2 && !this[0].Paren && this[0].Length is >= 2 and <= 5 && StartsWith00() && Digits - 2 is >= 8 and <= 15 && ParenCount() == 0;

        /// <summary>
        /// NANP: optional leading 1, then 3-3-4 with the area code (2–9 first) in parentheses or the same separator
        /// twice. The exchange's first digit is not checked: "555-123-4567" is what model output writes.
        /// </summary>
        public bool IsNorthAmerican()
        {
            var offset = 0;
            if (Count == 4 && this[0].Length == 1 && !this[0].Paren && FirstDigit(0) == 1 && this[1].SeparatorBefore != '\0')
            {
                offset = 1;
            }

            if (Count - offset != 3)
            {
                return false;
            }

            var area = this[offset];
            var exchange = this[offset + 1];
            var line = this[offset + 2];
            if (area.Length != 3 || exchange.Length != 3 || line.Length != 4 || exchange.Paren || line.Paren
                || FirstDigit(offset) < 2)
            {
                return false;
            }

            return area.Paren
                ? line.SeparatorBefore != '\0'
                : exchange.SeparatorBefore != '\0' && exchange.SeparatorBefore == line.SeparatorBefore
                    && (offset == 0 || this[1].SeparatorBefore == exchange.SeparatorBefore);
        }

        /// <summary>National: a trunk 0 (not 00), 9–11 digits, 2–6 groups after a 2–5 digit prefix, or one solid 10–11 digit group.</summary>
        public bool IsNationalWithTrunk()
        {
            if (FirstDigit(0) != 0 || StartsWith00())
            {
                return false;
            }

            var digits = Digits;
            if (Count == 1)
            {
                return !this[0].Paren && digits is 10 or 11;
            }

            if (digits is < 9 or > 11 || Count > 6 || this[0].Length is < 2 or > 5)
            {
                return false;
            }

            var separator = '\0';
            for (var k = 1; k < Count; k++)
            {
                if (this[k].Length < 2 || this[k].Paren)
                {
                    return false;
                }

                var before = this[k].SeparatorBefore;
                if (k == 1 && this[0].Paren)
                {
                    continue; // "(020) 7946 0958": the bracket replaces a separator
                }

                if (before == '\0' || (separator != '\0' && before != separator))
                {
                    return false;
                }

                separator = before;
            }

            return true;
        }

        private int ParenCount()
        {
            var count = 0;
            for (var k = g; k <= h; k++)
            {
                count += groups[k].Paren ? 1 : 0;
            }

            return count;
        }

        private bool StartsWith00() => this[0].Length >= 2 && DigitAt(0, 0) == 0 && DigitAt(0, 1) == 0;

        private int FirstDigit(int k) => DigitAt(k, 0);

        private int DigitAt(int k, int position) => text[this[k].Start + position] - '0';
    }
}
