using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class IbanDetectorTests
{
    private static readonly IbanDetector Detector = new();

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("FR1420041010050500013M02606")]
    [InlineData("NL91ABNA0417164300")]
    [InlineData("CH9300762011623852957")]
    [InlineData("NO9386011117947")]
    [InlineData("MT84MALT011000012345MTLCAST001S")]
    public void Detect_ValidIbanInProse_FindsExactSpan(string iban) => Detect.AssertFoundInProse(Detector, iban);

    [Theory]
    [InlineData("DE89370400440532013001")]       // checksum fails
    [InlineData("GB82 WEST 1234 5698 7654 33")]
    [InlineData("DE8937040044053201300")]        // one character short for DE
    [InlineData("DE893704004405320130000")]      // one character long for DE
    [InlineData("XX89370400440532013000")]       // unknown country
    [InlineData("de89370400440532013000")]       // lower case is not the IBAN form
    [InlineData("DE89 370 4004 4053 2013 000")]  // spaces not on four-character groups
    [InlineData("ISBN DE12 is not an account")]
    public void Detect_NotAnIban_FindsNothing(string text) => Assert.Empty(Detect.With(Detector, text));

    [Fact]
    public void Mod97_RegistryExample_IsOne()
    {
        Assert.Equal(1, IbanDetector.Mod97("GB82WEST12345698765432"));
        Assert.NotEqual(1, IbanDetector.Mod97("GB82WEST12345698765423"));
    }
}
