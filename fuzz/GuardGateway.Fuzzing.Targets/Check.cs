namespace GuardGateway.Fuzzing.Targets;

/// <summary>Invariant assertions for the targets.</summary>
internal static class Check
{
    /// <summary>A token seeds and the dictionary carry: user text that must never reach an error message.</summary>
    public const string Canary = "ZQXJCANARY";

    public static void That(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(invariant);
        }
    }

    /// <summary>Error texts may name fields, never echo values (they end up in logs and client responses).</summary>
    public static void NoEcho(string? message, string where) =>
        That(message is null || !message.Contains(Canary, StringComparison.Ordinal), $"{where}: the error message echoes input text");

    public static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
