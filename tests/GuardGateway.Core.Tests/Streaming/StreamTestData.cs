using GuardGateway.Core.Conversations;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>Canary phrases and benign text for streaming tests.</summary>
internal static class StreamTestData
{
    public static IReadOnlyList<ChatMessage> Context { get; } = [new(ChatRole.User, "Tell me about the harbor.")];

    /// <summary>50 phrases the canary guard flags; none occurs in benign text. Some hold spaces, punctuation, a sentence end, a line break or emoji.</summary>
    public static IReadOnlyList<string> Canaries { get; } = BuildCanaries();

    public static readonly string[] BenignWords =
    [
        "the", "harbor", "is", "calm", "today", "and", "boats", "drift", "slowly", "past", "old", "piers",
        "gulls", "circle", "above", "a", "lighthouse", "keeper", "waves", "at", "children", "on", "shore",
        "tea", "bread", "maps", "ropes", "sails", "weather", "fine", "naïve", "café", "日本", "🙂", "😀👍",
    ];

    public static readonly string[] Ends = [" ", " ", " ", " ", ". ", ", ", "! ", "? ", "\n", ".\n", " — ", "…"];

    private static List<string> BuildCanaries()
    {
        string[] first = ["crimson", "obsidian", "violet", "quorvex", "zephyrine", "malachite", "ochre", "tungsten", "saffron", "umbral"];
        string[] second = ["hammer protocol", "plinth", "rook-cipher", "vane. drexel", "lantern\nmorrow"];
        List<string> canaries = [];
        for (var i = 0; i < 50; i++)
        {
            var phrase = first[i % 10] + " " + second[i / 10];
            canaries.Add(i switch
            {
                7 => "☠️ " + phrase + " 🗡",
                13 => "XK" + i + "ZEBRA" + first[3],
                21 => phrase.Replace(' ', '_'),
                _ => phrase,
            });
        }

        return canaries;
    }
}
