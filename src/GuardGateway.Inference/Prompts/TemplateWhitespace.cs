namespace GuardGateway.Inference.Prompts;

/// <summary>
/// Trimming as the reference template does it (Jinja <c>trim</c> = Python <c>str.strip()</c>): .NET's
/// <see cref="string.Trim()"/> misses U+001C–U+001F, which Python treats as whitespace. One char of
/// difference would change the prompt ids, so the set is spelled out.
/// </summary>
internal static class TemplateWhitespace
{
    public static bool IsWhitespace(char c) => char.IsWhiteSpace(c) || (c >= '\u001C' && c <= '\u001F');

    public static string Trim(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }
}
