using System.Text.RegularExpressions;

namespace GuardGateway.Redaction.Detection;

/// <summary>E-mail addresses with an ASCII local part and a dotted domain ending in a 2–24 letter TLD.</summary>
internal sealed partial class EmailDetector : IPiiDetector
{
    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        foreach (var match in Pattern().EnumerateMatches(text))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = match.Index;
            var end = match.Index + match.Length;

            // A local part cannot start with a dot; "see.me@x.io" after a sentence end keeps only "me@x.io".
            while (start < end && text[start] == '.')
            {
                start++;
            }

            if (text[start] != '@' && text[end - 1] != '-')
            {
                matches.Add(new PiiMatch(start, end - start, PiiKind.EmailAddress));
            }
        }
    }

    // Non-backtracking: linear time on any input, so no match timeout is needed.
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
