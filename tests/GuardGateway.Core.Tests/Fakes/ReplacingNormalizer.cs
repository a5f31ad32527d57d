using GuardGateway.Core.TextSafety;

namespace GuardGateway.Core.Tests.Fakes;

/// <summary>A normalizer that replaces one string by another and counts each replacement as one folded char.</summary>
public sealed class ReplacingNormalizer(string from, string to) : ITextNormalizer
{
    public NormalizedText Normalize(string text)
    {
        var count = (text.Length - text.Replace(from, string.Empty, StringComparison.Ordinal).Length) / from.Length;
        var result = text.Replace(from, to, StringComparison.Ordinal);
        return new NormalizedText(result, 0, count, 0) { Changed = count > 0 };
    }
}
