namespace GuardGateway.Redaction.Detection;

/// <summary>
/// One personal-data pattern. Implementations run in time linear in the text (hand-written scanners or
/// non-backtracking regexes: no match timeouts, which would turn load into missed detections) and observe
/// the token between matches and every few thousand characters.
/// </summary>
internal interface IPiiDetector
{
    /// <summary>Appends the matches in <paramref name="text"/> to <paramref name="matches"/>.</summary>
    void Detect(string text, List<PiiMatch> matches, CancellationToken cancellationToken);
}
