using System.Globalization;
using System.Text;
using CsCheck;

namespace GuardGateway.Redaction.Tests;

/// <summary>Random valid UTF-16 text mixing every plane with the structures the redaction code cares about.</summary>
internal static class UnicodeGen
{
    private static readonly string[] Pieces =
    [
        ". ", "! ", "? ", "...", "…", "。", "！", "e.g. ", "Dr. ", "3.14", "\n", "\r\n", "\n\n", "  ", "\t",
        "```", "~~~", "```\n", "- ", "* ", "1. ", "2) ", "\"", "”", ")", "**",
        "\u0301", "\u200D", "\uFE0F", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F1EB\U0001F1F7",
        "\U0001F44D\U0001F3FD", "e\u0301", "\u0600", "\u0915\u094D\u0937", "한국어", "日本語",
        "a@b.io ", "+44 20 7946 0958", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00", "10.0.0.1", "fe80::1",
    ];

    private static readonly Gen<string> CodePoint = Gen.Frequency(
        (4, Gen.Int[0x20, 0x7E]),
        (2, Gen.Int[0x80, 0xD7FF]),
        (1, Gen.Int[0xE000, 0xFFFF]),
        (2, Gen.Int[0x10000, 0x10FFFF]))
        .Select(cp => char.ConvertFromUtf32(cp));

    private static readonly Gen<string> Piece = Gen.Frequency((3, CodePoint), (2, Gen.OneOf<string>(Pieces)), (2, Gen.String[Gen.Char["abcXYZ019 ."], 1, 8]));

    /// <summary>Valid UTF-16 (no lone surrogates), up to about 60 pieces.</summary>
    public static readonly Gen<string> Text = Piece.Array[0, 60].Select(string.Concat);

    /// <summary>Every text-element boundary of <paramref name="text"/>, computed independently of the code under test.</summary>
    public static HashSet<int> ElementBoundaries(string text)
    {
        var boundaries = new HashSet<int>(StringInfo.ParseCombiningCharacters(text)) { text.Length };
        return boundaries;
    }

    public static bool IsValidUtf16(string text) => Encoding.UTF8.GetByteCount(text) >= 0 && !HasLoneSurrogate(text);

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
