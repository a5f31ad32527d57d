using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.Masking;

namespace GuardGateway.Redaction.Tests.Masking;

public sealed class RedactionTemplateTests
{
    private static readonly RedactionCategory Privacy = new("S7", "Privacy");
    private static readonly RedactionCategory Violence = new("S1", "Violent Crimes");

    [Theory]
    [InlineData("[removed: {code} {name}]", "[removed: S7 Privacy]", "[removed: S7 Privacy, S1 Violent Crimes]")]
    [InlineData("<{name}>", "<Privacy>", "<Privacy, Violent Crimes>")]
    [InlineData("{code}", "S7", "S7, S1")]
    [InlineData("[redacted]", "[redacted]", "[redacted]")]
    [InlineData("<{code}|{name}>", "<S7|Privacy>", "<S7|Privacy, S1|Violent Crimes>")]
    [InlineData("{name}", "Privacy", "Privacy, Violent Crimes")]
    [InlineData("{name} ({code})", "Privacy (S7)", "Privacy (S7, Violent Crimes (S1)")] // the repeated part starts at the first placeholder, whichever it is
    [InlineData("[{name}/{code}]", "[Privacy/S7]", "[Privacy/S7, Violent Crimes/S1]")]
    [InlineData("{code}:{code} ({name})", "S7:S7 (Privacy)", "S7:S7 (Privacy, S1:S1 (Violent Crimes)")] // text after the last placeholder is not repeated
    public void Render_Template_SubstitutesOncePerCategory(string template, string one, string two)
    {
        var parsed = new RedactionTemplate(template);
        Assert.Equal(one, parsed.Render([Privacy]));
        Assert.Equal(two, parsed.Render([Privacy, Violence]));
    }

    [Fact]
    public void Render_NameContainingPlaceholder_IsNotSubstitutedAgain()
    {
        Assert.Equal("[S9 {code}]", new RedactionTemplate("[{code} {name}]").Render([new RedactionCategory("S9", "{code}")]));
    }

    [Fact]
    public void ConstructorAndRender_Null_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new RedactionTemplate(null!));

        // Also where the categories would not be read (a template without placeholders).
        Assert.Throws<ArgumentNullException>(() => new RedactionTemplate("[redacted]").Render(null!));
    }
}
