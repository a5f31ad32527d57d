namespace GuardGateway.Redaction.Detection;

/// <summary>What a personal-data pattern matched. Every kind maps to the Privacy category (<c>S7</c>).</summary>
public enum PiiKind
{
    /// <summary>An e-mail address.</summary>
    EmailAddress,

    /// <summary>A phone number: international (<c>+CC</c> or <c>00CC</c>), North American, or national with a trunk <c>0</c>.</summary>
    PhoneNumber,

    /// <summary>A payment card number (13–19 digits, known issuer prefix, Luhn check).</summary>
    PaymentCard,

    /// <summary>An IBAN (country length and mod-97 check).</summary>
    Iban,

    /// <summary>An IPv4 address.</summary>
    IPv4Address,

    /// <summary>An IPv6 address, compressed forms included.</summary>
    IPv6Address,

    /// <summary>An AWS access key id (<c>AKIA…</c>, <c>ASIA…</c>).</summary>
    AwsAccessKeyId,

    /// <summary>A GitHub token (<c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>).</summary>
    GitHubToken,

    /// <summary>An OpenAI API key (<c>sk-…</c>, <c>sk-proj-…</c>).</summary>
    OpenAIApiKey,

    /// <summary>A Slack token (<c>xoxb-</c>, <c>xoxp-</c>, <c>xoxo-</c>, <c>xoxa-</c>, <c>xoxs-</c>).</summary>
    SlackToken,

    /// <summary>A Google API key (<c>AIza…</c>).</summary>
    GoogleApiKey,

    /// <summary>A JSON Web Token (<c>eyJ….eyJ….…</c>).</summary>
    JsonWebToken,

    /// <summary>A PEM or PGP private key block (to the end of the text when the end line is missing).</summary>
    PrivateKey,
}
