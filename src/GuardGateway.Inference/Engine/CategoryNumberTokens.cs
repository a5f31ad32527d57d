using System.Collections.Concurrent;
using System.Globalization;
using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// The token that follows <c>S</c> in a category code: S1–S9 are ids 16–24, S10–S14 are 605, 806, 717, 1032,
/// 975 (spec §3); other custom codes (S15…) are tokenized (numbers of up to three digits are one token).
/// </summary>
internal sealed class CategoryNumberTokens(Llama3Tokenizer tokenizer)
{
    private static readonly int[] Known = [16, 17, 18, 19, 20, 21, 22, 23, 24, 605, 806, 717, 1032, 975];
    private readonly ConcurrentDictionary<string, int> _cache = new(StringComparer.Ordinal);

    /// <summary>The number token of a code like <c>S7</c>, or -1 when it is not a single token.</summary>
    public int Get(string code) => _cache.GetOrAdd(code, Compute, tokenizer);

    private static int Compute(string code, Llama3Tokenizer tokenizer)
    {
        if (code.Length < 2 || code[0] != 'S' || !int.TryParse(code.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            return -1;
        }

        if (n <= Known.Length)
        {
            return Known[n - 1];
        }

        var ids = tokenizer.EncodeText(code);
        return ids.Length == 2 && ids[0] == GuardTokenIds.S ? ids[1] : -1;
    }
}
