using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class PhoneNumberDetectorTests
{
    private static readonly PhoneNumberDetector Detector = new();

    [Theory]
    [InlineData("+1 (555) 123-4567")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+4915112345678")]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("+44 (0) 20 7946 0958")]
    [InlineData("+1-202-555-0143")]
    [InlineData("0044 20 7946 0958")]
    [InlineData("(555) 123-4567")]
    [InlineData("(555)123-4567")]
    [InlineData("555-123-4567")]
    [InlineData("555.123.4567")]
    [InlineData("555 123 4567")]
    [InlineData("1-800-555-0199")]
    [InlineData("020 7946 0958")]
    [InlineData("(020) 7946 0958")]
    [InlineData("06 12 34 56 78")]
    [InlineData("030-1234567")]
    [InlineData("0612345678")]
    public void Detect_PhoneNumber_FindsExactSpan(string number) => Detect.AssertFoundInProse(Detector, number);

    [Theory]
    [InlineData("Released on 2024-01-31.")]
    [InlineData("Released on 31.01.2024.")]
    [InlineData("Released on 01/31/2024.")]
    [InlineData("Released on 31 01 2024.")]
    [InlineData("Upgrade to version 1.2.3 or 10.0.19041.1")]
    [InlineData("It costs $1,234.56 or 1 000 000 units")]
    [InlineData("Meet at 12:30:45")]
    [InlineData("Pi is 3.14159265358979")]
    [InlineData("ISBN 0-306-40615-2")]
    [InlineData("Zip 12345-6789")]
    [InlineData("Call extension 555-1234")]
    [InlineData("Host 192.168.100.200")]
    [InlineData("Order 1234567890 shipped")]
    [InlineData("Years 2024 2025 2026 2027")]
    [InlineData("Card 4111 1111 1111 1111")]
    [InlineData("555-123-4567-89")]
    [InlineData("155-234-5678")]                // area codes start with 2-9
    [InlineData("555-234.5678")]                // mixed separators
    [InlineData("ID555-123-4567")]
    [InlineData("5551234567@example.com")]
    public void Detect_NotAPhoneNumber_FindsNothing(string text) => Assert.Empty(Detect.With(Detector, text));

    [Fact]
    public void Detect_NumberBeforePhone_FindsOnlyThePhone()
    {
        Assert.Equal(["555-123-4567"], Detect.With(Detector, "Room 12 555-123-4567 ask for Ann"));
        Assert.Equal(["555-123-4567"], Detect.With(Detector, "call 555-123-4567 2 times"));
    }

    [Fact]
    public void Detect_PhoneInParentheses_FindsIt()
    {
        Assert.Equal(["+44 20 7946 0958", "555-123-4567"], Detect.With(Detector, "Ann (+44 20 7946 0958) and Bob (555-123-4567)."));
    }
}
