namespace GuardGateway.ModelForge;

/// <summary>Llama 3 token ids the planted guard reads and writes (spec LLAMA_GUARD_3.md §3, checked by tests).</summary>
internal static class PlantedGuardTokens
{
    public const int DoubleNewline = 271;
    public const int Newline = 198;
    public const int Safe = 19193;
    public const int Unsafe = 39257;
    public const int S = 50;
    public const int CommaS = 21861;
    public const int Colon = 25;
    public const int EndOfTurn = 128009;

    /// <summary><c>User</c> without a leading space: opens a user turn (<c>"\n\nUser: "</c>).</summary>
    public const int UserMarker = 1502;

    /// <summary><c>Agent</c> without a leading space: opens an agent turn.</summary>
    public const int AgentMarker = 17230;

    /// <summary>Number tokens of codes 1…14: <c>1</c>…<c>9</c> = 16…24, <c>10</c>…<c>14</c> = 605, 806, 717, 1032, 975.</summary>
    public static readonly int[] Numbers = [16, 17, 18, 19, 20, 21, 22, 23, 24, 605, 806, 717, 1032, 975];
}
