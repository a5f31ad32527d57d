using GuardGateway.TextSafety.Languages;

namespace GuardGateway.TextSafety.Tests;

public sealed class ScriptLanguageDetectorTests
{
    private static readonly ScriptLanguageDetector Detector = new();

    public static TheoryData<string, LanguageVerdict, string?> Texts => new()
    {
        // Supported
        { "How can I make sure that the children are safe at the pool this summer?", LanguageVerdict.Supported, "en" },
        { "Comment est-ce que je peux faire une tarte aux pommes pour le dîner de ce soir avec les enfants ?", LanguageVerdict.Supported, "fr" },
        { "Ich möchte wissen, wie ich das Fahrrad reparieren kann, weil die Kette nicht mehr auf dem Zahnrad bleibt.", LanguageVerdict.Supported, "de" },
        { "Vorrei sapere come si prepara il risotto alla milanese, perché non l'ho mai fatto e sono un po' nervoso.", LanguageVerdict.Supported, "it" },
        { "Eu gostaria de saber como você faz o bolo de cenoura, porque o meu não ficou muito bom e está seco.", LanguageVerdict.Supported, "pt" },
        { "Quiero saber cómo se hace una paella para la cena de esta noche, pero no tengo el arroz que se necesita.", LanguageVerdict.Supported, "es" },
        { "मैं जानना चाहता हूँ कि बच्चों के लिए सबसे अच्छी किताबें कौन सी हैं", LanguageVerdict.Supported, "hi" },
        { "ฉันอยากรู้ว่าจะทำอาหารไทยที่บ้านได้อย่างไรบ้าง", LanguageVerdict.Supported, "th" },

        // Unsupported, by script
        { "Как приготовить борщ дома для всей семьи?", LanguageVerdict.Unsupported, "und-Cyrl" },
        { "Як приготувати борщ вдома для всієї родини?", LanguageVerdict.Unsupported, "uk" },
        { "Πώς μπορώ να μάθω να κολυμπάω γρήγορα;", LanguageVerdict.Unsupported, "el" },
        { "كيف يمكنني تعلم الطبخ في المنزل بسرعة؟", LanguageVerdict.Unsupported, "ar" },
        { "איך אני יכול ללמוד לבשל בבית מהר?", LanguageVerdict.Unsupported, "he" },
        { "我想知道怎么在家里做饭，做得又快又好吃。", LanguageVerdict.Unsupported, "zh" },
        { "家でおいしい料理を早く作る方法を知りたいです。", LanguageVerdict.Unsupported, "ja" },
        { "집에서 빨리 맛있는 요리를 만드는 방법을 알고 싶어요.", LanguageVerdict.Unsupported, "ko" },
        { "வீட்டில் எப்படி விரைவாக சமைப்பது என்று தெரிந்து கொள்ள வேண்டும்", LanguageVerdict.Unsupported, "ta" },

        // Unsupported, by function words
        { "Ik wil graag weten hoe ik een fiets kan repareren, want de ketting is niet meer goed en ik heb geen tijd.", LanguageVerdict.Unsupported, "nl" },
        { "Chciałbym wiedzieć, jak to zrobić, bo nie jestem pewien, czy to jest dobry pomysł dla mnie.", LanguageVerdict.Unsupported, "pl" },
        { "Bu akşam için nasıl bir yemek yapabilirim, çünkü evde çok az malzeme var ve ben de yorgunum.", LanguageVerdict.Unsupported, "tr" },
        { "Jag vill veta hur man lagar en god middag, men jag har inte mycket tid och det är sent.", LanguageVerdict.Unsupported, "sv" },
        { "Saya ingin tahu bagaimana cara memasak nasi goreng yang enak untuk keluarga saya di rumah.", LanguageVerdict.Unsupported, "id" },
        { "Tôi muốn biết làm thế nào để nấu một bữa ăn ngon cho gia đình của tôi.", LanguageVerdict.Unsupported, "vi" },

        // Too short or ambiguous: no guess
        { "ok", LanguageVerdict.Unknown, null },
        { "Hola!", LanguageVerdict.Unknown, null },
        { "Привет", LanguageVerdict.Unknown, null },
        { "你好", LanguageVerdict.Unknown, null },
        { "12345 67890 !!!", LanguageVerdict.Unknown, null },
        { "Lorem ipsum dolor sit amet consectetur adipiscing", LanguageVerdict.Unknown, null },
        { "Привет hello мир world друг friend", LanguageVerdict.Unknown, null },

        // Mostly English with a foreign word: English
        { "The word Привет means hello and я means I", LanguageVerdict.Supported, "en" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Detect_Text_ExpectedVerdict(string text, LanguageVerdict verdict, string? language)
    {
        var detection = Detector.Detect(text);

        Assert.Equal(verdict, detection.Verdict);
        Assert.Equal(language, detection.Language);
        Assert.Equal(verdict == LanguageVerdict.Unsupported, Detector.IsUnsupported(text));
    }

    [Fact]
    public void Detect_HugeText_LinearAndBounded()
    {
        var text = string.Concat(Enumerable.Repeat("Ik wil graag weten hoe het werkt. ", 50_000));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var detection = Detector.Detect(text);

        Assert.Equal("nl", detection.Language);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
    }
}
