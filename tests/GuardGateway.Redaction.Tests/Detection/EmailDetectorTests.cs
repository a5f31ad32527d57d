using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class EmailDetectorTests
{
    private static readonly EmailDetector Detector = new();

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("a+tag@sub.example.co.uk")]
    [InlineData("jane_d@corp.io")]
    [InlineData("X%Y-1@my-host.museum")]
    public void Detect_Address_FindsExactSpan(string address) => Detect.AssertFoundInProse(Detector, address);

    [Fact]
    public void Detect_AddressEndingSentence_ExcludesThePeriod()
    {
        Assert.Equal(["jane@corp.io"], Detect.With(Detector, "Write to jane@corp.io."));
    }

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("@example.com")]
    [InlineData("foo@bar")]
    [InlineData("name at example dot com")]
    [InlineData("x@y.c")]
    [InlineData("a@-bad.com")]
    public void Detect_NotAnAddress_FindsNothing(string text) => Assert.Empty(Detect.With(Detector, text));
}
