using System.Text;

namespace GuardGateway.Fuzzing.Targets;

/// <summary>Helpers that turn fuzz bytes into parser inputs.</summary>
internal static class FuzzInput
{
    private const byte Utf16Marker = 0xFE;

    /// <summary>The selector byte that picks a target's mode (0 for an empty input).</summary>
    public static byte Selector(ReadOnlySpan<byte> input) => input.IsEmpty ? (byte)0 : input[0];

    /// <summary>The input after the selector byte.</summary>
    public static ReadOnlySpan<byte> Rest(ReadOnlySpan<byte> input) => input.IsEmpty ? input : input[1..];

    /// <summary>
    /// Text from bytes: UTF-8 (invalid sequences become U+FFFD, as an HTTP front decodes them), or, after a leading
    /// 0xFE, raw UTF-16LE code units so unpaired surrogates (valid in JSON escapes and .NET strings) are reachable.
    /// </summary>
    public static string Text(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty && bytes[0] == Utf16Marker)
        {
            var units = bytes[1..];
            var chars = new char[units.Length / 2];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(units[2 * i] | (units[(2 * i) + 1] << 8));
            }

            return new string(chars);
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
