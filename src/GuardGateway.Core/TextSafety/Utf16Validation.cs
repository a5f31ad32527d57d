namespace GuardGateway.Core.TextSafety;

/// <summary>Checks for ill-formed UTF-16 (unpaired surrogates), which no UTF-8 consumer can read faithfully.</summary>
public static class Utf16Validation
{
    /// <summary>The index of the first unpaired surrogate in <paramref name="text"/>, or -1 when it is well formed.</summary>
    public static int IndexOfUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
