using CsCheck;
using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class PaymentCardDetectorTests
{
    private static readonly PaymentCardDetector Detector = new();

    [Theory]
    [InlineData("4111111111111111")]         // Visa
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("4222222222222")]            // Visa, 13 digits
    [InlineData("5555555555554444")]         // Mastercard
    [InlineData("2223003122003222")]         // Mastercard 2-series
    [InlineData("378282246310005")]          // Amex
    [InlineData("3782 822463 10005")]        // Amex printed 4-6-5
    [InlineData("30569309025904")]           // Diners 14
    [InlineData("6011111111111117")]         // Discover
    [InlineData("3530111333300000")]         // JCB
    [InlineData("6200000000000005")]         // UnionPay
    public void Detect_ValidCardInProse_FindsExactSpan(string card) => Detect.AssertFoundInProse(Detector, card);

    [Theory]
    [InlineData("4111111111111112")]         // Luhn fails
    [InlineData("4111 1111 1111 1112")]
    [InlineData("5555555555554445")]
    [InlineData("1234567812345670")]         // Luhn passes, no issuer starts with 1
    [InlineData("9999999999999995")]         // Luhn passes, unknown issuer
    [InlineData("41111111111111111")]        // Visa prefix, Luhn passes? length 17 is not a Visa length
    [InlineData("4111 1111 1111 1111.5")]    // a decimal, not a card
    [InlineData("411 1111 1111 11111")]      // not a printed grouping
    [InlineData("4111 - 1111 - 1111 - 1111")]
    [InlineData("In 2021 2022 2023 2024 sales grew.")]
    [InlineData("Order 12345678901234567 shipped.")]
    [InlineData("ID4111111111111111")]
    public void Detect_NotACard_FindsNothing(string text) => Assert.Empty(Detect.With(Detector, text));

    [Fact]
    public void Detect_CardFollowedBySpacedNumber_FindsTheCard()
    {
        Assert.Equal(["4111 1111 1111 1111"], Detect.With(Detector, "card 4111 1111 1111 1111 12 times"));
    }

    [Fact]
    public void Detect_RandomSixteenDigitNumbersFailingLuhn_AreNeverCards()
    {
        Gen.String[Gen.Char['0', '9'], 16, 16].Where(s => !PassesLuhn(s)).Sample(digits =>
            Assert.Empty(Detect.With(Detector, $"The number {digits} appears in the report.")), iter: 2000);
    }

    private static bool PassesLuhn(string digits) => Luhn.IsValid(digits.Select(c => (byte)(c - '0')).ToArray());
}
