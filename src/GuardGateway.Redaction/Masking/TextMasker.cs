using System.Globalization;
using System.Text;
using GuardGateway.Core.Redaction;

namespace GuardGateway.Redaction.Masking;

/// <summary>
/// Replaces spans of a text with a rendered template. Spans are first widened to whole text elements (so a
/// span never splits a surrogate pair, a combining sequence or an emoji ZWJ sequence, and the output is
/// valid UTF-16 whenever the input is); overlapping or touching spans then merge into one replacement that
/// names each category once, in order of first appearance.
/// </summary>
public static class TextMasker
{
    /// <summary>Masks <paramref name="spans"/> in <paramref name="text"/>.</summary>
    /// <param name="text">The original text.</param>
    /// <param name="spans">Spans to remove, in any order; empty spans are ignored.</param>
    /// <param name="template">The replacement template.</param>
    /// <returns>The masked text and the replacement map.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A span lies outside the text (a caller bug).</exception>
    public static MaskedText Mask(string text, IEnumerable<RedactionSpan> spans, RedactionTemplate template)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(template);

        var ordered = new List<RedactionSpan>();
        foreach (var span in spans)
        {
            if (span.Start < 0 || span.Length < 0 || span.Start > text.Length - span.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(spans), $"Span [{span.Start}, +{span.Length}) lies outside a text of length {text.Length}.");
            }

            ArgumentNullException.ThrowIfNull(span.Category, nameof(spans));
            if (span.Length > 0)
            {
                ordered.Add(span);
            }
        }

        // Stryker disable once Block: a fast path only; without it the loop below returns an equal text and no replacements.
        if (ordered.Count == 0)
        {
            return new MaskedText(text, []);
        }

        // Stable: equal starts keep the caller's order, which decides the category order.
        ordered = [.. ordered.OrderBy(s => s.Start)];
        var boundaries = ElementBoundaries(text);
        var builder = new StringBuilder(text.Length);
        var replacements = new List<RedactionReplacement>();
        var kept = 0;
        var k = 0;
        while (k < ordered.Count)
        {
            // The run starts with span k (its widened start is <= end = start) and takes every later span
            // that starts before or where the run ends.
            var start = WidenStart(boundaries, ordered[k].Start);
            var end = start;
            var categories = new List<RedactionCategory>();
            while (k < ordered.Count && WidenStart(boundaries, ordered[k].Start) <= end)
            {
                end = Math.Max(end, WidenEnd(boundaries, ordered[k].End));
                AddOnce(categories, ordered[k].Category);
                k++;
            }

            builder.Append(text, kept, start - kept);
            var replacement = template.Render(categories);
            replacements.Add(new RedactionReplacement(start, end - start, builder.Length, replacement.Length, categories));
            builder.Append(replacement);
            kept = end;
        }

        builder.Append(text, kept, text.Length - kept);
        return new MaskedText(builder.ToString(), replacements);
    }

    /// <summary>Masks with a template given as text; see <see cref="Mask(string, IEnumerable{RedactionSpan}, RedactionTemplate)"/>.</summary>
    /// <param name="text">The original text.</param>
    /// <param name="spans">Spans to remove.</param>
    /// <param name="template">The replacement template text, e.g. <c>[removed: {code} {name}]</c>.</param>
    /// <returns>The masked text and the replacement map.</returns>
    public static MaskedText Mask(string text, IEnumerable<RedactionSpan> spans, string template) =>
        Mask(text, spans, new RedactionTemplate(template));

    private static void AddOnce(List<RedactionCategory> categories, RedactionCategory category)
    {
        foreach (var existing in categories)
        {
            if (string.Equals(existing.Code, category.Code, StringComparison.Ordinal))
            {
                return;
            }
        }

        categories.Add(category);
    }

    /// <summary>Every text-element boundary of the text, ascending (0 and the length included).</summary>
    private static List<int> ElementBoundaries(string text)
    {
        // Stryker disable once Arithmetic: a capacity hint only (never negative here: a text with a non-empty span is not empty).
        var boundaries = new List<int>(text.Length + 1) { 0 };
        var i = 0;
        while (i < text.Length)
        {
            i += StringInfo.GetNextTextElementLength(text.AsSpan(i));
            boundaries.Add(i);
        }

        return boundaries;
    }

    private static int WidenStart(List<int> boundaries, int index)
    {
        var found = boundaries.BinarySearch(index);
        return found >= 0 ? index : boundaries[~found - 1];
    }

    private static int WidenEnd(List<int> boundaries, int index)
    {
        var found = boundaries.BinarySearch(index);

        // Stryker disable once Equality: an end is >= 1 (empty spans are dropped), so it is never found at position 0.
        return found >= 0 ? index : boundaries[~found];
    }
}
