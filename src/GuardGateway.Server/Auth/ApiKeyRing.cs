using System.Security.Cryptography;
using System.Text;
using GuardGateway.Server.Options;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Auth;

/// <summary>
/// The configured client and admin keys, kept only as SHA-256 digests. Matching compares the digest of the
/// presented key against every configured digest in constant time, without an early exit, so neither the
/// key's content nor its position leaks through timing.
/// </summary>
internal sealed class ApiKeyRing
{
    // Domain separation: a key id is never the plain digest an attacker could compare with other systems.
    private const string KeyIdContext = "guardgateway/key-id/v1\n";

    private readonly (byte[] Digest, string Id)[] clientKeys;
    private readonly (byte[] Digest, string Id)[] adminKeys;
    private readonly (byte[] Digest, string Id)[] ownerKeys;

    public ApiKeyRing(IOptions<AuthOptions> options)
    {
        clientKeys = [.. options.Value.ClientKeys.Select(k => (Digest(k), KeyIdOf(k)))];
        adminKeys = [.. options.Value.AdminKeys.Select(k => (Digest(k), KeyIdOf(k)))];
        ownerKeys = [.. options.Value.PolicyOwnerKeys.Select(k => (Digest(k), KeyIdOf(k)))];
    }

    /// <summary>Whether moderation calls need a key.</summary>
    public bool ClientAuthEnabled => clientKeys.Length > 0;

    /// <summary>Whether admin calls are possible at all.</summary>
    public bool AdminEnabled => adminKeys.Length > 0 || ownerKeys.Length > 0;

    /// <summary>The ids of the configured client keys (for startup logs and policy bindings).</summary>
    public IEnumerable<string> ClientKeyIds => clientKeys.Select(k => k.Id);

    /// <summary>The ids of the configured admin keys.</summary>
    public IEnumerable<string> AdminKeyIds => adminKeys.Select(k => k.Id);

    /// <summary>The ids of the configured policy-owner (elevated admin) keys.</summary>
    public IEnumerable<string> PolicyOwnerKeyIds => ownerKeys.Select(k => k.Id);

    /// <summary>
    /// The stable, non-secret id of a key: <c>key-</c> + the first 16 hex digits of SHA-256 over a context
    /// string and the key. Policy bindings (<c>bindings.api_keys</c>) and logs use it; the key itself never appears.
    /// </summary>
    public static string KeyIdOf(string key)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(KeyIdContext + key));
        return "key-" + Convert.ToHexStringLower(digest.AsSpan(0, 8));
    }

    /// <summary>Identifies the holder of a presented key.</summary>
    public Caller Identify(string presentedKey)
    {
        var digest = Digest(presentedKey);
        var owner = Find(ownerKeys, digest);
        var admin = Find(adminKeys, digest);
        var client = Find(clientKeys, digest);
        return owner is not null ? new Caller(CallerRole.PolicyOwner, owner)
            : admin is not null ? new Caller(CallerRole.Admin, admin)
            : client is not null ? new Caller(CallerRole.Client, client)
            : Caller.Anonymous;
    }

    private static string? Find((byte[] Digest, string Id)[] keys, byte[] digest)
    {
        string? found = null;
        foreach (var (candidate, id) in keys)
        {
            // No early exit: every candidate is compared.
            if (CryptographicOperations.FixedTimeEquals(candidate, digest))
            {
                found = id;
            }
        }

        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
