using System.Globalization;
using GuardGateway.Inference.Decoding;

namespace GuardGateway.Fuzzing.Targets.Targets;

/// <summary>
/// <see cref="GuardOutputParser"/>. Declared: Safe, Unsafe or ParseFailure. Invariants (fail closed): Safe only for
/// the exact answer <c>safe</c> around template whitespace; Unsafe only with a non-empty, duplicate-free list of
/// enabled codes from an answer starting with <c>unsafe</c>; a failure has a reason and no codes.
/// </summary>
internal sealed class GuardOutputTarget : IFuzzTarget
{
    public string Name => "guard-output";

    public IReadOnlyList<byte[]> Dictionary { get; } = OpenAiJsonTarget.Tokens(
        "safe", "unsafe", "\n", "\n\n", " ", "\t", "\r\n", "\u001C", "\u00A0", "\u2028", "S1", "S14", "S15", "S0", "S01",
        ",", ",S2", "S999", "S1000", "<|eot_id|>", "Safe", "SAFE", "\u0455afe", "unsafe\nS1");

    public void Execute(ReadOnlySpan<byte> input)
    {
        var selector = FuzzInput.Selector(input);
        var rest = FuzzInput.Rest(input);
        var text = (selector & 0x80) != 0 && rest.IsEmpty ? null : FuzzInput.Text(rest);
        var enabled = Enumerable.Range(1, 1 + (selector % 14)).Select(n => "S" + n.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var output = GuardOutputParser.Parse(text, enabled);
        switch (output.Kind)
        {
            case GuardOutputKind.Safe:
                Check.That(text is not null && Core(text) == "safe", "parsed as safe but the answer is not exactly 'safe'");
                Check.That(output.Codes.Count == 0 && output.FailureReason is null, "safe with codes or a failure reason");
                break;
            case GuardOutputKind.Unsafe:
                Check.That(text is not null && Core(text).StartsWith("unsafe\n", StringComparison.Ordinal), "unsafe from an answer not starting with 'unsafe'");
                Check.That(output.Codes.Count > 0 && output.Codes.All(enabled.Contains), "unsafe without codes or with a code not enabled");
                Check.That(output.Codes.Distinct(StringComparer.Ordinal).Count() == output.Codes.Count, "duplicate codes");
                Check.That(output.FailureReason is null, "unsafe with a failure reason");
                break;
            case GuardOutputKind.ParseFailure:
                Check.That(!string.IsNullOrEmpty(output.FailureReason) && output.Codes.Count == 0, "a failure without a reason, or with codes");
                break;
            default:
                throw new FuzzInvariantException($"undeclared output kind {output.Kind}");
        }
    }

    /// <summary>The answer without the whitespace the template may wrap it in (Unicode White_Space + U+001C–U+001F).</summary>
    private static string Core(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsTemplateWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsTemplateWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    private static bool IsTemplateWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
}
