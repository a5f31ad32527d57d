namespace GuardGateway.Inference.Tokenization;

/// <summary>
/// The Llama 3 special-token ids the guard template and decoder rely on. They are the same in every
/// Llama 3 release (3.0, 3.1, 3.2); only the names of the reserved slots differ.
/// </summary>
public static class Llama3SpecialTokens
{
    /// <summary>First id of the special range (128000).</summary>
    public const int FirstSpecialId = 128000;

    /// <summary>Number of special ids (256).</summary>
    public const int SpecialCount = 256;

    /// <summary><c>&lt;|begin_of_text|&gt;</c>.</summary>
    public const int BeginOfText = 128000;

    /// <summary><c>&lt;|end_of_text|&gt;</c>.</summary>
    public const int EndOfText = 128001;

    /// <summary><c>&lt;|start_header_id|&gt;</c>.</summary>
    public const int StartHeader = 128006;

    /// <summary><c>&lt;|end_header_id|&gt;</c>.</summary>
    public const int EndHeader = 128007;

    /// <summary><c>&lt;|eom_id|&gt;</c> (Llama 3.1 and later).</summary>
    public const int EndOfMessage = 128008;

    /// <summary><c>&lt;|eot_id|&gt;</c>.</summary>
    public const int EndOfTurn = 128009;

    /// <summary>Total vocabulary of every Llama 3 model (128,000 BPE ranks + 256 specials).</summary>
    public const int VocabularySize = 128256;

    /// <summary>
    /// The Llama 3.1 names of all 256 special ids, as Meta's <c>tokenizer.py</c> defines them. Used when a
    /// tiktoken <c>tokenizer.model</c> comes without a <c>tokenizer_config.json</c> naming them.
    /// </summary>
    public static IReadOnlyDictionary<string, int> DefaultNames { get; } = BuildDefaultNames();

    /// <summary>Whether an id lies in the special range.</summary>
    public static bool IsSpecial(int id) => id >= FirstSpecialId && id < FirstSpecialId + SpecialCount;

    private static Dictionary<string, int> BuildDefaultNames()
    {
        string[] named =
        [
            "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
            "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>",
            "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
        ];
        var names = new Dictionary<string, int>(SpecialCount, StringComparer.Ordinal);
        for (var i = 0; i < named.Length; i++)
        {
            names[named[i]] = FirstSpecialId + i;
        }

        for (var i = named.Length; i < SpecialCount; i++)
        {
            // Meta numbers the remaining reserved slots from 3 on (0, 1 and 2 are above).
            names[$"<|reserved_special_token_{i - named.Length + 3}|>"] = FirstSpecialId + i;
        }

        return names;
    }
}
