namespace GuardGateway.Redaction.Detection;

/// <summary>
/// Runs every personal-data detector over a text. The cost is linear in the text length (no backtracking
/// regexes, no match timeouts). Thread-safe; <see cref="Default"/> is shared.
/// </summary>
public sealed class PersonalDataScanner
{
    /// <summary>The category code personal data maps to (Privacy in the MLCommons taxonomy).</summary>
    public const string CategoryCode = "S7";

    private readonly IPiiDetector[] _detectors;

    /// <summary>Creates a scanner with every detector.</summary>
    public PersonalDataScanner()
    {
        _detectors =
        [
            new PrivateKeyDetector(),
            new ApiKeyDetector(),
            new EmailDetector(),
            new PaymentCardDetector(),
            new IbanDetector(),
            new IPv4Detector(),
            new IPv6Detector(),
            new PhoneNumberDetector(),
        ];
    }

    /// <summary>A shared scanner with every detector.</summary>
    public static PersonalDataScanner Default { get; } = new();

    /// <summary>Finds personal data in <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Observed between detectors, between matches and every few thousand characters.</param>
    /// <returns>
    /// The matches ordered by start, then by length (longest first). A match inside another (digits of an IBAN
    /// that look like a phone number) is dropped; matches of different kinds may still overlap partly.
    /// </returns>
    public IReadOnlyList<PiiMatch> Scan(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = new List<PiiMatch>();
        foreach (var detector in _detectors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            detector.Detect(text, matches, cancellationToken);
        }

        matches.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        var maximal = new List<PiiMatch>(matches.Count);
        var coveredEnd = -1;
        foreach (var match in matches)
        {
            if (match.End > coveredEnd)
            {
                maximal.Add(match);
                coveredEnd = match.End;
            }
        }

        return maximal;
    }
}
