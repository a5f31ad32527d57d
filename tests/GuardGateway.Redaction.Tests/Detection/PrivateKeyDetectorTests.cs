using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class PrivateKeyDetectorTests
{
    private static readonly PrivateKeyDetector Detector = new();

    private const string RsaBlock = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1vXj\nq3Ts==\n-----END RSA PRIVATE KEY-----";

    [Theory]
    [InlineData(RsaBlock)]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----")]
    public void Detect_PrivateKeyBlock_FindsWholeBlock(string block) => Detect.AssertFoundInProse(Detector, block);

    [Fact]
    public void Detect_BlockWithoutEndLine_RunsToEndOfText()
    {
        var text = "Key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrY\nmore";
        Assert.Equal([text[5..]], Detect.With(Detector, text));
    }

    [Fact]
    public void Detect_TwoBlocks_FindsBoth()
    {
        Assert.Equal([RsaBlock, RsaBlock], Detect.With(Detector, RsaBlock + "\nand\n" + RsaBlock));
    }

    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN something else")]
    public void Detect_NotAPrivateKey_FindsNothing(string text) => Assert.Empty(Detect.With(Detector, text));
}
