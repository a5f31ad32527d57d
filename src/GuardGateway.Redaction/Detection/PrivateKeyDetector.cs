namespace GuardGateway.Redaction.Detection;

/// <summary>
/// PEM (<c>-----BEGIN … PRIVATE KEY-----</c>) and PGP private key blocks. A block without its end line
/// (a stream cut short, a truncated paste) is removed to the end of the text: half a key is still a secret.
/// </summary>
internal sealed class PrivateKeyDetector : IPiiDetector
{
    private const string BeginMarker = "-----BEGIN ";
    private const string Dashes = "-----";
    private const int MaxLabelLength = 64;

    public void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken)
    {
        var from = 0;
        while (from < text.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var begin = text.IndexOf(BeginMarker, from, StringComparison.Ordinal);
            if (begin < 0)
            {
                return;
            }

            var labelStart = begin + BeginMarker.Length;
            var labelEnd = text.IndexOf(Dashes, labelStart, Math.Min(MaxLabelLength, text.Length - labelStart), StringComparison.Ordinal);
            var label = labelEnd < 0 ? default : text.AsSpan(labelStart, labelEnd - labelStart);
            if (labelEnd < 0 || !(label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) || label.EndsWith("PRIVATE KEY BLOCK", StringComparison.Ordinal)))
            {
                from = labelStart;
                continue;
            }

            var endLine = string.Concat("-----END ", label, Dashes);
            var endIndex = text.IndexOf(endLine, labelEnd + Dashes.Length, StringComparison.Ordinal);
            if (endIndex < 0)
            {
                // No end line: the rest of the text is key material, and no later block can end either.
                matches.Add(new PiiMatch(begin, text.Length - begin, PiiKind.PrivateKey));
                return;
            }

            var end = endIndex + endLine.Length;
            matches.Add(new PiiMatch(begin, end - begin, PiiKind.PrivateKey));
            from = end;
        }
    }
}
