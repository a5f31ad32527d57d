namespace GuardGateway.Server.OpenAi;

/// <summary>
/// Llama Guard 3 hazard codes -> OpenAI moderation categories, as sensibly as the two taxonomies allow:
/// <list type="table">
/// <item><term>S1 Violent Crimes</term><description><c>violence</c>, <c>illicit/violent</c></description></item>
/// <item><term>S2 Non-Violent Crimes</term><description><c>illicit</c></description></item>
/// <item><term>S3 Sex-Related Crimes</term><description><c>sexual</c>, <c>illicit</c></description></item>
/// <item><term>S4 Child Sexual Exploitation</term><description><c>sexual/minors</c>, <c>sexual</c></description></item>
/// <item><term>S5 Defamation</term><description><c>harassment</c></description></item>
/// <item><term>S9 Indiscriminate Weapons</term><description><c>illicit/violent</c>, <c>violence</c></description></item>
/// <item><term>S10 Hate</term><description><c>hate</c>, <c>harassment</c></description></item>
/// <item><term>S11 Suicide &amp; Self-Harm</term><description><c>self-harm</c>, <c>self-harm/intent</c>, <c>self-harm/instructions</c></description></item>
/// <item><term>S12 Sexual Content</term><description><c>sexual</c></description></item>
/// <item><term>S14 Code Interpreter Abuse</term><description><c>illicit</c></description></item>
/// </list>
/// S6 Specialized Advice, S7 Privacy, S8 Intellectual Property and S13 Elections have no OpenAI counterpart: they
/// still set <c>flagged</c> and appear in the <c>guardgateway</c> field of each result. <c>harassment/threatening</c>,
/// <c>hate/threatening</c> and <c>violence/graphic</c> have no Llama Guard counterpart and stay false.
/// </summary>
internal static class OpenAiCategoryMap
{
    /// <summary>Every OpenAI category, in OpenAI's order (all are always present in a result).</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    private static readonly Dictionary<string, string[]> ByCode = new(StringComparer.Ordinal)
    {
        ["S1"] = ["violence", "illicit/violent"],
        ["S2"] = ["illicit"],
        ["S3"] = ["sexual", "illicit"],
        ["S4"] = ["sexual/minors", "sexual"],
        ["S5"] = ["harassment"],
        ["S9"] = ["illicit/violent", "violence"],
        ["S10"] = ["hate", "harassment"],
        ["S11"] = ["self-harm", "self-harm/intent", "self-harm/instructions"],
        ["S12"] = ["sexual"],
        ["S14"] = ["illicit"],
    };

    /// <summary>The OpenAI categories a Llama Guard code maps to (empty when none).</summary>
    public static IReadOnlyList<string> For(string code) => ByCode.TryGetValue(code, out var names) ? names : [];
}
