using System.Text.RegularExpressions;

namespace GuardGateway.Bench.Gateway;

/// <summary>
/// The answer the fake model server streams: a benign explanation cut into word-level pieces (a leading space
/// plus a word, or one punctuation mark), which is about how Llama 3 tokenizes plain English, one piece per
/// SSE delta like vLLM/TGI/llama.cpp. Repeated or cut to the requested token count.
/// </summary>
internal static partial class AnswerTokens
{
    /// <summary>The question sent (benign: neither the input nor the output check blocks it).</summary>
    public const string Question = "Can you explain how photosynthesis works?";

    private const string Text =
        "Photosynthesis is the process plants use to turn light into chemical energy. It happens mainly in the leaves, "
        + "inside small structures called chloroplasts. These contain chlorophyll, the green pigment that absorbs red and "
        + "blue light and reflects green. The process has two stages. In the light-dependent reactions, water molecules "
        + "are split, oxygen is released, and the energy carriers ATP and NADPH are produced. In the Calvin cycle, which "
        + "does not need light directly, the plant uses that energy to fix carbon dioxide from the air into sugars such "
        + "as glucose. The sugars feed the growth of the plant and are stored as starch for later. Almost all life on "
        + "Earth depends on this process, either directly or through the food chain, and it also keeps the oxygen levels "
        + "in our atmosphere.";

    /// <summary>Exactly <paramref name="count"/> pieces of the answer (150 for the text once; repeated, after a space, when longer).</summary>
    public static IReadOnlyList<string> Take(int count)
    {
        var pieces = Piece().Matches(Text).Select(m => m.Value).ToList();
        return [.. Enumerable.Range(0, count).Select(i => i > 0 && i % pieces.Count == 0 ? " " + pieces[0] : pieces[i % pieces.Count])];
    }

    [GeneratedRegex(@"\s?[A-Za-z0-9]+|\s?[^A-Za-z0-9\s]")]
    private static partial Regex Piece();
}
