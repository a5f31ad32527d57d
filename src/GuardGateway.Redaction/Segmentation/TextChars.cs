namespace GuardGateway.Redaction.Segmentation;

/// <summary>Character classes the segmenter needs.</summary>
internal static class TextChars
{
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    public static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '‼' or '⁇' or '⁈' or '⁉' or '؟' or '۔' or '।' or '॥' || IsFullWidthTerminator(c);

    /// <summary>CJK sentence ends, which need no following space.</summary>
    public static bool IsFullWidthTerminator(char c) => c is '。' or '！' or '？' or '｡' or '．';

    /// <summary>Closing quotes, brackets and emphasis marks that stay with the sentence they close.</summary>
    public static bool IsCloser(char c) => c is '"' or '\'' or '”' or '’' or '»' or '›' or ')' or ']' or '}' or '」' or '』' or '）' or '】' or '〉' or '》' or '*' or '_' or '`';

    public static bool IsBullet(char c) => c is '-' or '*' or '+' or '•' or '‣' or '◦' or '▪' or '–';
}
