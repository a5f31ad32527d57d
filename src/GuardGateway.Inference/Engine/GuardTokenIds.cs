using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Inference.Engine;

/// <summary>The Llama 3 ids the guard decoder relies on (spec §3 table).</summary>
internal static class GuardTokenIds
{
    public const int Safe = 19193;
    public const int Unsafe = 39257;
    public const int Newline = 198;
    public const int S = 50;

    /// <summary>Stop ids (spec §4): <c>&lt;|eot_id|&gt;</c>, <c>&lt;|eom_id|&gt;</c>, <c>&lt;|end_of_text|&gt;</c>.</summary>
    public static bool IsStop(int id) => id is Llama3SpecialTokens.EndOfTurn or 128008 or Llama3SpecialTokens.EndOfText;

    /// <summary>Padding input id: any valid id works (masked out); <c>&lt;|eot_id|&gt;</c> is used.</summary>
    public const long Padding = Llama3SpecialTokens.EndOfTurn;
}
