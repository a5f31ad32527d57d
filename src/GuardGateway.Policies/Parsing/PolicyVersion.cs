using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GuardGateway.Policies.Parsing;

/// <summary>Policy versions: the first 12 hex digits of the content's SHA-256, <c>@</c>, and the UTC load time.</summary>
internal static class PolicyVersion
{
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Create(string contentHash, DateTimeOffset loadedAt) =>
        string.Concat(contentHash.AsSpan(0, 12), "@", loadedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
}
