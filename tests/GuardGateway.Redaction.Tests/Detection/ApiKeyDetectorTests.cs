using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class ApiKeyDetectorTests
{
    private static readonly ApiKeyDetector Detector = new();

    public static TheoryData<string> Keys => new()
    {
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAY34FZKBOKMUTVV7A",
        "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJ5",
        "gho_" + "16C7e42F292c6912E7710c838347Ae178B4a",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV",
        "sk-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN",
        "sk-proj-" + "Ab3_cd-EF45gh67IJ89kl01MN23op45QR67",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "xoxp-1234567890-0987654321-abcdef123456",
        "AIza" + "SyD-1234567890abcdefghijklmnopqrstu",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Detect_KnownKeyFormat_FindsExactSpan(string key) => Detect.AssertFoundInProse(Detector, key);

    [Theory]
    [InlineData("sk-learn-is-a-great-library-for-everyone")]   // no digits
    [InlineData("task-1234567890abcdefghijklmnopqrstu")]       // sk- inside a word
    [InlineData("AKIA1234")]                                   // too short
    [InlineData("AKIAIOSFODNN7EXAMPLEX")]                      // one character too long
    [InlineData("xoxb-short")]
    [InlineData("xoxb-abcdefghijklmnop")]                      // no digits
    [InlineData("ghp_tooShort123")]
    [InlineData("eyJ then some prose.eyJ not a token")]
    [InlineData("AIzaSyD-tooshort")]
    public void Detect_NotAKey_FindsNothing(string text) => Assert.Empty(Detect.With(Detector, text));
}
