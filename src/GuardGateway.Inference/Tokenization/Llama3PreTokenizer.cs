using System.Text.RegularExpressions;

namespace GuardGateway.Inference.Tokenization;

/// <summary>The Llama 3 pre-tokenizer split pattern (spec §3), identical to cl100k_base's.</summary>
internal static partial class Llama3PreTokenizer
{
    /// <summary>The pattern text, as HF <c>tokenizer.json</c> files of Llama 3 carry it.</summary>
    public const string Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The compiled pattern.</summary>
    [GeneratedRegex(Pattern)]
    public static partial Regex Regex();
}
