using GuardGateway.Core.Redaction;
using GuardGateway.Core.Results;
using GuardGateway.Redaction.Detection;
using GuardGateway.Redaction.Masking;
using GuardGateway.Redaction.Segmentation;

namespace GuardGateway.Redaction;

/// <summary>
/// The <see cref="IRedactor"/>: segments with <see cref="TextSegmenter"/>, lets the pipeline judge the
/// segments, detects personal data with a <see cref="PersonalDataScanner"/>, and masks with
/// <see cref="TextMasker"/>. Stateless and thread-safe.
/// </summary>
public sealed class Redactor : IRedactor
{
    private readonly PersonalDataScanner _scanner;

    /// <summary>Creates a redactor with every personal-data detector.</summary>
    public Redactor()
        : this(PersonalDataScanner.Default)
    {
    }

    /// <summary>Creates a redactor with the given scanner.</summary>
    /// <param name="scanner">The personal-data scanner.</param>
    public Redactor(PersonalDataScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        _scanner = scanner;
    }

    /// <inheritdoc />
    public IReadOnlyList<TextSegment> Segment(string text) => TextSegmenter.Split(text);

    /// <inheritdoc />
    public async ValueTask<Result<RedactionResult>> RedactAsync(RedactionRequest request, SegmentClassifier classifySegments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Text);
        ArgumentNullException.ThrowIfNull(request.Template);
        ArgumentNullException.ThrowIfNull(request.UnsafeCategories);
        ArgumentNullException.ThrowIfNull(classifySegments);
        cancellationToken.ThrowIfCancellationRequested();

        var template = new RedactionTemplate(request.Template);
        var text = request.Text;
        var spans = new List<RedactionSpan>();
        IReadOnlyList<TextSegment> segments = [];

        if (request.UnsafeCategories.Count > 0)
        {
            segments = TextSegmenter.Split(text);
            var candidates = segments.Where(s => !s.IsBlank).ToList();
            var verdicts = candidates.Count == 0
                ? Result.Success<IReadOnlyList<SegmentVerdict>>([])
                : await classifySegments(candidates, cancellationToken);
            if (!verdicts.IsSuccess)
            {
                return verdicts.Error;
            }

            var flagged = CollectFlagged(segments, candidates, verdicts.Value);
            var unlocalized = request.UnsafeCategories
                .Where(category => !flagged.Values.Any(found => found.Any(c => string.Equals(c.Code, category.Code, StringComparison.Ordinal))))
                .ToList();
            if (unlocalized.Count > 0)
            {
                return new RedactionResult { Outcome = RedactionOutcome.NotLocalized, Text = string.Empty, Segments = segments, UnlocalizedCategories = unlocalized };
            }

            AddSegmentSpans(segments, flagged, spans);
        }

        if (request.PersonalDataCategory is { } privacy)
        {
            foreach (var match in _scanner.Scan(text, cancellationToken))
            {
                spans.Add(new RedactionSpan(match.Start, match.Length, privacy));
            }
        }

        var masked = TextMasker.Mask(text, spans, template);
        return new RedactionResult
        {
            Outcome = masked.Replacements.Count > 0 ? RedactionOutcome.Redacted : RedactionOutcome.Unchanged,
            Text = masked.Text,
            Replacements = masked.Replacements,
            Segments = segments,
        };
    }

    /// <summary>Flagged segment index → its categories; a verdict for a segment that was not sent is a pipeline bug.</summary>
    private static Dictionary<int, List<RedactionCategory>> CollectFlagged(IReadOnlyList<TextSegment> segments, List<TextSegment> candidates, IReadOnlyList<SegmentVerdict> verdicts)
    {
        var sent = candidates.Select(s => s.Index).ToHashSet();
        var flagged = new Dictionary<int, List<RedactionCategory>>();
        foreach (var verdict in verdicts)
        {
            if (!sent.Contains(verdict.SegmentIndex))
            {
                throw new InvalidOperationException($"The segment classifier returned a verdict for segment {verdict.SegmentIndex}, which was not sent (text has {segments.Count} segments).");
            }

            if (!verdict.IsFlagged)
            {
                continue;
            }

            if (!flagged.TryGetValue(verdict.SegmentIndex, out var categories))
            {
                flagged[verdict.SegmentIndex] = categories = [];
            }

            categories.AddRange(verdict.Categories);
        }

        return flagged;
    }

    /// <summary>
    /// One span per run of adjacent flagged segments, from the first content start to the last content end:
    /// the whitespace between them goes too, the whitespace around the run stays.
    /// </summary>
    private static void AddSegmentSpans(IReadOnlyList<TextSegment> segments, Dictionary<int, List<RedactionCategory>> flagged, List<RedactionSpan> spans)
    {
        // The bounds checks below are equivalent to "< Count + 1": flagged holds only indices of segments sent, all < Count.
        var k = 0;

        // Stryker disable once Equality: see above.
        while (k < segments.Count)
        {
            if (!flagged.ContainsKey(k))
            {
                k++;
                continue;
            }

            var first = segments[k];
            var last = first;
            var categories = new List<RedactionCategory>();
            // Stryker disable once Equality: see above.
            while (k < segments.Count && flagged.TryGetValue(k, out var found))
            {
                last = segments[k];
                categories.AddRange(found);
                k++;
            }

            // One span per category over the whole run: the masker merges them and names each code once.
            foreach (var category in categories)
            {
                spans.Add(new RedactionSpan(first.ContentStart, last.ContentEnd - first.ContentStart, category));
            }
        }
    }
}
