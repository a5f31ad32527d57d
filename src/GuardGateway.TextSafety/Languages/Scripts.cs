namespace GuardGateway.TextSafety.Languages;

/// <summary>Maps letters to their script by Unicode block (enough for detection; no property tables).</summary>
internal static class Scripts
{
    public static Script Of(int cp) => cp switch
    {
        < 0x0250 => Script.Latin,
        >= 0x0370 and <= 0x03FF => Script.Greek,
        >= 0x0400 and <= 0x052F => Script.Cyrillic,
        >= 0x0530 and <= 0x058F => Script.Armenian,
        >= 0x0590 and <= 0x05FF => Script.Hebrew,
        >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0x08A0 and <= 0x08FF => Script.Arabic,
        >= 0x0900 and <= 0x097F => Script.Devanagari,
        >= 0x0980 and <= 0x09FF => Script.Bengali,
        >= 0x0A00 and <= 0x0A7F => Script.Gurmukhi,
        >= 0x0A80 and <= 0x0AFF => Script.Gujarati,
        >= 0x0B00 and <= 0x0B7F => Script.Oriya,
        >= 0x0B80 and <= 0x0BFF => Script.Tamil,
        >= 0x0C00 and <= 0x0C7F => Script.Telugu,
        >= 0x0C80 and <= 0x0CFF => Script.Kannada,
        >= 0x0D00 and <= 0x0D7F => Script.Malayalam,
        >= 0x0D80 and <= 0x0DFF => Script.Sinhala,
        >= 0x0E00 and <= 0x0E7F => Script.Thai,
        >= 0x0E80 and <= 0x0EFF => Script.Lao,
        >= 0x0F00 and <= 0x0FFF => Script.Tibetan,
        >= 0x1000 and <= 0x109F => Script.Myanmar,
        >= 0x10A0 and <= 0x10FF or >= 0x1C90 and <= 0x1CBF => Script.Georgian,
        >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F or >= 0xAC00 and <= 0xD7AF => Script.Hangul,
        >= 0x1200 and <= 0x139F => Script.Ethiopic,
        >= 0x1780 and <= 0x17FF => Script.Khmer,
        >= 0x1E00 and <= 0x1EFF or >= 0x2C60 and <= 0x2C7F or >= 0xA720 and <= 0xA7FF or >= 0xFF21 and <= 0xFF5A => Script.Latin,
        >= 0x1F00 and <= 0x1FFF => Script.Greek,
        >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF or >= 0xFF66 and <= 0xFF9F => Script.Kana,
        >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF => Script.Han,
        >= 0xFB1D and <= 0xFB4F => Script.Hebrew,
        >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => Script.Arabic,
        _ => Script.Other,
    };

    /// <summary>The language (or script tag) of text written in a script no supported language uses.</summary>
    public static string Tag(Script script) => script switch
    {
        Script.Greek => "el",
        Script.Armenian => "hy",
        Script.Hebrew => "he",
        Script.Arabic => "ar",
        Script.Bengali => "bn",
        Script.Gurmukhi => "pa",
        Script.Gujarati => "gu",
        Script.Oriya => "or",
        Script.Tamil => "ta",
        Script.Telugu => "te",
        Script.Kannada => "kn",
        Script.Malayalam => "ml",
        Script.Sinhala => "si",
        Script.Lao => "lo",
        Script.Tibetan => "bo",
        Script.Myanmar => "my",
        Script.Georgian => "ka",
        Script.Hangul => "ko",
        Script.Ethiopic => "am",
        Script.Khmer => "km",
        Script.Kana => "ja",
        Script.Han => "zh",
        _ => "und",
    };
}
