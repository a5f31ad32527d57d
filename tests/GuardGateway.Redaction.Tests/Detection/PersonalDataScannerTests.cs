using CsCheck;
using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class PersonalDataScannerTests
{
    // Generous: the scan takes milliseconds; a super-linear detector on 64 KiB would take far longer.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Fact]
    public void Scan_MixedText_FindsEveryKindInOrder()
    {
        const string Text = "Mail ann@example.org or call +44 20 7946 0958. Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, " +
            "host 10.1.2.3 / 2001:db8::7, key AKIAIOSFODNN7EXAMPLE.";
        var matches = PersonalDataScanner.Default.Scan(Text, CancellationToken.None);
        Assert.Equal(
            [PiiKind.EmailAddress, PiiKind.PhoneNumber, PiiKind.PaymentCard, PiiKind.Iban, PiiKind.IPv4Address, PiiKind.IPv6Address, PiiKind.AwsAccessKeyId],
            matches.Select(m => m.Kind));
        Assert.Equal("ann@example.org", Text.Substring(matches[0].Start, matches[0].Length));
    }

    [Fact]
    public void Scan_PlainProse_FindsNothing()
    {
        const string Text = "On 2024-01-31 at 12:30 we shipped version 10.0.19041.1 to 3,400 users for $1,299.99 each (that is 4.5% more than in 2023). " +
            "See section 3.2.1, call extension 1234, or read pages 100-120. Pi is 3.14159265358979323846.";
        Assert.Empty(PersonalDataScanner.Default.Scan(Text, CancellationToken.None));
    }

    [Fact]
    public void Scan_CancelledToken_Throws()
    {
        Assert.Throws<OperationCanceledException>(() => PersonalDataScanner.Default.Scan("a@b.io", new CancellationToken(canceled: true)));
    }

    public static TheoryData<string> AdversarialInputs => new()
    {
        new string('1', 65536),
        string.Concat(Enumerable.Repeat("1 ", 32768)),
        string.Concat(Enumerable.Repeat("1-", 32768)),
        string.Concat(Enumerable.Repeat("+1 (", 16384)),
        string.Concat(Enumerable.Repeat("a.", 32768)) + "@",
        string.Concat(Enumerable.Repeat("a@", 32768)),
        "x@" + string.Concat(Enumerable.Repeat("a-", 32767)),
        string.Concat(Enumerable.Repeat("1.", 32768)),
        string.Concat(Enumerable.Repeat("f:", 32768)),
        string.Concat(Enumerable.Repeat(":", 65536)),
        string.Concat(Enumerable.Repeat("DE89 ", 13107)),
        string.Concat(Enumerable.Repeat("-----BEGIN PRIVATE KEY-----", 2427)),
        string.Concat(Enumerable.Repeat("-----BEGIN ", 5957)),
        "sk-" + string.Concat(Enumerable.Repeat("a-", 32766)),
        string.Concat(Enumerable.Repeat("eyJa.", 13107)),
        string.Concat(Enumerable.Repeat("xoxb-", 13107)),
    };

    [Theory]
    [MemberData(nameof(AdversarialInputs))]
    public void Scan_Adversarial64KiB_FinishesWithinBudget(string text)
    {
        using var timeout = new CancellationTokenSource(Budget);
        _ = PersonalDataScanner.Default.Scan(text, timeout.Token);
    }

    [Fact]
    public void Scan_Random64KiBText_FinishesWithinBudget()
    {
        var alphabet = Gen.Char["0123456789 -.:+()@aAeEfFkKsSxXyYzZ_/\n"];
        Gen.String[alphabet, 65536, 65536].Sample(text =>
        {
            using var timeout = new CancellationTokenSource(Budget);
            _ = PersonalDataScanner.Default.Scan(text, timeout.Token);
        }, iter: 4, threads: 1);
    }
}
