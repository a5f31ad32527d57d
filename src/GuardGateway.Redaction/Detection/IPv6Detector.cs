namespace GuardGateway.Redaction.Detection;

/// <summary>
/// IPv6 addresses: eight groups of one to four hex digits, or fewer with one <c>::</c>, optionally ending in
/// an embedded IPv4 address. At least two groups are required, so the loopback <c>::1</c> and C++ scopes
/// (<c>std::vector</c>, starting inside a word) are left alone; times (<c>10:30:00</c>) and MAC addresses
/// (six groups, no <c>::</c>) are not valid addresses.
/// </summary>
internal sealed class IPv6Detector : IPiiDetector
{
    // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is the longest form.
    private const int MaxLength = 45;

    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        var i = 0;
        while (i < text.Length)
        {
            ScanChars.CheckCancellation(i, cancellationToken);
            if (!IsAddressChar(text[i]) || (i > 0 && (IsAddressChar(text[i - 1]) || ScanChars.IsWordChar(text[i - 1]))))
            {
                i++;
                continue;
            }

            var end = i;
            while (end < text.Length && IsAddressChar(text[end]))
            {
                end++;
            }

            var runEnd = end;
            if (end - i <= MaxLength + 2 && !ScanChars.IsWordCharAt(text, end))
            {
                // Sentence punctuation after an address: "at fe80::1." or "fe80::1: the".
                while (end > i && text[end - 1] == '.')
                {
                    end--;
                }

                if (end - i >= 2 && text[end - 1] == ':' && text[end - 2] != ':')
                {
                    end--;
                }

                if (end - i <= MaxLength && IsValid(text.AsSpan(i, end - i)))
                {
                    matches.Add(new PiiMatch(i, end - i, PiiKind.IPv6Address));
                }
            }

            i = runEnd;
        }
    }

    private static bool IsAddressChar(char c) => char.IsAsciiHexDigit(c) || c is ':' or '.';

    /// <summary>Whether <paramref name="candidate"/> (only hex digits, colons and dots) is a textual IPv6 address with at least two groups.</summary>
    internal static bool IsValid(ReadOnlySpan<char> candidate)
    {
        var compression = candidate.IndexOf("::", StringComparison.Ordinal);
        if (compression >= 0 && candidate[(compression + 2)..].Contains("::", StringComparison.Ordinal))
        {
            return false;
        }

        int groups;
        if (compression < 0)
        {
            groups = CountGroups(candidate, allowIPv4Tail: true);
            return groups == 8;
        }

        var head = candidate[..compression];
        var tail = candidate[(compression + 2)..];
        var headGroups = head.IsEmpty ? 0 : CountGroups(head, allowIPv4Tail: false);
        var tailGroups = tail.IsEmpty ? 0 : CountGroups(tail, allowIPv4Tail: true);
        if (headGroups < 0 || tailGroups < 0)
        {
            return false;
        }

        groups = headGroups + tailGroups;
        return groups is >= 2 and <= 7;
    }

    /// <summary>Counts colon-separated hex groups (an IPv4 tail counts as two); -1 when malformed.</summary>
    private static int CountGroups(ReadOnlySpan<char> part, bool allowIPv4Tail)
    {
        var count = 0;
        while (true)
        {
            var colon = part.IndexOf(':');
            var group = colon < 0 ? part : part[..colon];
            if (colon < 0 && allowIPv4Tail && group.Contains('.'))
            {
                return IsIPv4(group) ? count + 2 : -1;
            }

            if (group.IsEmpty || group.Length > 4 || group.Contains('.'))
            {
                return -1;
            }

            count++;
            if (colon < 0)
            {
                return count;
            }

            part = part[(colon + 1)..];
        }
    }

    private static bool IsIPv4(ReadOnlySpan<char> group)
    {
        var text = group.ToString();
        return IPv4Detector.TryRead(text, 0) == text.Length;
    }
}
