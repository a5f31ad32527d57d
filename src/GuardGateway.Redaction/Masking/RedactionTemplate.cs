using System.Text;
using GuardGateway.Core.Redaction;

namespace GuardGateway.Redaction.Masking;

/// <summary>
/// A replacement template such as <c>[removed: {code} {name}]</c>. With several categories, the part from
/// the first to the last placeholder repeats once per category, joined by <c>", "</c>, so the brackets and
/// the lead-in appear once: <c>[removed: S1 Violent Crimes, S7 Privacy]</c>. Text outside the placeholders
/// is literal; a template without placeholders is used as is.
/// </summary>
public sealed class RedactionTemplate
{
    private const string CodePlaceholder = "{code}";
    private const string NamePlaceholder = "{name}";
    private const string CategorySeparator = ", ";

    private readonly string _prefix;
    private readonly string _repeated;
    private readonly string _suffix;

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    public RedactionTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        Text = template;
        var first = MinNonNegative(template.IndexOf(CodePlaceholder, StringComparison.Ordinal), template.IndexOf(NamePlaceholder, StringComparison.Ordinal));
        if (first < 0)
        {
            _prefix = template;
            _repeated = string.Empty;

            // Stryker disable once String: Render returns the prefix alone when nothing repeats; the suffix is never read.
            _suffix = string.Empty;
            return;
        }

        var lastCode = template.LastIndexOf(CodePlaceholder, StringComparison.Ordinal);
        var lastName = template.LastIndexOf(NamePlaceholder, StringComparison.Ordinal);
        // first >= 0, so one placeholder was found and ends at >= 6: the other's "not found" value (-1, or +1 / 5
        // when mutated) never wins the Max.
        // Stryker disable once Conditional,Unary: see above, equivalent.
        var end = Math.Max(lastCode < 0 ? -1 : lastCode + CodePlaceholder.Length, lastName < 0 ? -1 : lastName + NamePlaceholder.Length);
        _prefix = template[..first];
        _repeated = template[first..end];
        _suffix = template[end..];
    }

    /// <summary>The template text.</summary>
    public string Text { get; }

    /// <summary>Renders the replacement for one or more categories (each listed once by the caller).</summary>
    /// <param name="categories">The categories, in the order to name them.</param>
    /// <returns>The replacement text.</returns>
    public string Render(IReadOnlyList<RedactionCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (_repeated.Length == 0)
        {
            return _prefix;
        }

        var builder = new StringBuilder(_prefix);
        for (var k = 0; k < categories.Count; k++)
        {
            if (k > 0)
            {
                builder.Append(CategorySeparator);
            }

            AppendSubstituted(builder, categories[k]);
        }

        return builder.Append(_suffix).ToString();
    }

    // One left-to-right pass, so a name containing "{code}" is never substituted again.
    private void AppendSubstituted(StringBuilder builder, RedactionCategory category)
    {
        var i = 0;
        while (i < _repeated.Length)
        {
            if (string.CompareOrdinal(_repeated, i, CodePlaceholder, 0, CodePlaceholder.Length) == 0)
            {
                builder.Append(category.Code);
                i += CodePlaceholder.Length;
            }
            else if (string.CompareOrdinal(_repeated, i, NamePlaceholder, 0, NamePlaceholder.Length) == 0)
            {
                builder.Append(category.Name);
                i += NamePlaceholder.Length;
            }
            else
            {
                builder.Append(_repeated[i]);
                i++;
            }
        }
    }

    private static int MinNonNegative(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);
}
