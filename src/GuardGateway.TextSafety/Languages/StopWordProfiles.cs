using System.Collections.Frozen;

namespace GuardGateway.TextSafety.Languages;

/// <summary>
/// Function words of common Latin-script languages (the most frequent words of each, hand-picked from
/// frequency lists) and letters only one of them uses. Small on purpose: enough to tell a supported language
/// from a clearly different one, not to identify every language.
/// </summary>
internal static class StopWordProfiles
{
    /// <summary>Llama Guard 3's Latin-script languages.</summary>
    public static readonly FrozenSet<string> Supported = FrozenSet.ToFrozenSet(["en", "fr", "de", "it", "pt", "es"]);

    public static readonly (string Language, FrozenSet<string> Words)[] Profiles =
    [
        ("en", Set("the and is are was were of to in that it with for this you not have be on what how can my they from at but or would should there")),
        ("fr", Set("le la les des est et une un dans que qui pour pas sur avec ce il je vous nous sont du au mais ou ne comment très cette être")),
        ("de", Set("der die das und ist nicht ein eine ich zu den mit sich auf für von dem des es sie wir wie auch sind wird kann oder aber was noch bitte")),
        ("it", Set("il di che è e la le per un una non sono con del della gli mi ti come questo anche ma più ho hai cosa perché nel alla sei")),
        ("pt", Set("o os as de que não é um uma para com do da dos das em no na você eu ele mas por se muito isso como está são também")),
        ("es", Set("el los las la de que y es en un una por para con no del al lo se su como pero más está son muy qué yo tú esto también")),
        ("nl", Set("de het een en is van dat niet ik je zijn op te met voor er maar ook wat hoe wij dit die naar heb kan worden bij nog geen")),
        ("pl", Set("i w nie się na jest to że z do jak co ale czy tak jestem są mnie mój ja ty dla po od przez może tego już bardzo być")),
        ("tr", Set("ve bir bu da de için ne ile ben sen çok ama gibi var yok mi mı daha nasıl olarak değil şey ki kadar her sonra neden lütfen")),
        ("sv", Set("och är att det som en ett på för med jag inte av till den har vi du om men kan så vad hur eller var mycket också från hon")),
        ("da", Set("og er det at en et på til med for jeg ikke af den har vi du om men kan så hvad hvordan eller var meget også fra hun jer")),
        ("no", Set("og er det at en et på til med for jeg ikke av den har vi du om men kan så hva hvordan eller var mye også fra hun dere")),
        ("fi", Set("ja on ei se että hän mitä kuin tämä minä sinä me te he ovat oli mutta tai kanssa myös niin kun jos miten mikä olen olet voi vain sitä")),
        ("id", Set("dan yang di ini itu dengan untuk tidak dari dalam akan pada saya anda kami mereka ada adalah juga bisa atau karena sudah apa bagaimana tersebut lebih kita harus tetapi")),
        ("vi", Set("và của là có không được trong cho một những này với các người tôi bạn đã để khi thì như cũng rất làm gì nào đó sẽ từ hay")),
        ("cs", Set("a je se na v že to s z do jak ale co jsem jsou pro tak by o už jeho když nebo také který může být velmi proč prosím")),
        ("ro", Set("și în este de la cu nu o un pe că pentru care sunt mai din ce să se am dar ca foarte acest cum eu tu noi sau fie")),
        ("hu", Set("a az és hogy nem egy is van meg de ez el ha már csak mint még kell vagy volt én te mi ők nagyon miért hogyan kérem ezt azt")),
        ("sw", Set("na ya wa kwa ni za katika la hii kuwa si hiyo yake lakini au sana mimi wewe sisi nini vipi tafadhali kama hapa pia bado leo watu huyo ndiyo")),
        ("tl", Set("ang ng sa na mga ay at ko mo ako ikaw siya hindi ito para kung may po ba lang din rin naman kasi pero ano paano sila kami tayo")),
    ];

    /// <summary>The index of each language in <see cref="Profiles"/>.</summary>
    public static readonly FrozenDictionary<string, int> IndexOf =
        Profiles.Select((p, i) => KeyValuePair.Create(p.Language, i)).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The language a letter is distinctive of, or null.</summary>
    public static string? DistinctiveLetter(char c) => c switch
    {
        'ł' or 'ą' or 'ę' or 'ś' or 'ź' or 'ż' or 'ć' or 'ń' => "pl",
        'ı' or 'ğ' => "tr",
        'ř' or 'ě' or 'ů' => "cs",
        'ő' or 'ű' => "hu",
        'ș' or 'ț' => "ro",
        'đ' or 'ơ' or 'ư' or (>= '\u1EA0' and <= '\u1EF9') => "vi",
        'ß' => "de",
        'ñ' => "es",
        'ã' or 'õ' => "pt",
        'œ' => "fr",
        _ => null,
    };

    private static FrozenSet<string> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
