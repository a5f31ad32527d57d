namespace GuardGateway.Inference.Tokenization;

/// <summary>
/// The GPT-2 byte-to-unicode map that HF byte-level BPE uses for vocabulary keys: printable bytes map to
/// themselves, the other 68 bytes to U+0100 onward. Needed to turn <c>tokenizer.json</c> keys back into raw
/// bytes (and so into tiktoken ranks).
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly Dictionary<char, byte> CharToByte = BuildCharToByte();

    /// <summary>Decodes a byte-level vocabulary key into its bytes; false if a char is outside the alphabet.</summary>
    public static bool TryDecode(string key, out byte[] bytes)
    {
        bytes = new byte[key.Length];
        for (var i = 0; i < key.Length; i++)
        {
            if (!CharToByte.TryGetValue(key[i], out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            var c = printable ? (char)b : (char)(256 + next++);
            map[c] = (byte)b;
        }

        return map;
    }
}
