namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>The keys test hosts are configured with.</summary>
internal static class TestKeys
{
    public const string Client = "client-key-0123456789abcdef";
    public const string Admin = "admin-key-0123456789abcdef";
    public const string Owner = "owner-key-0123456789abcdef";
    public const string Wrong = "wrong-key-0123456789abcdef";
}
