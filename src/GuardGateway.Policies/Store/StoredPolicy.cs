using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Store;

/// <summary>A loaded policy with the text it came from and where it is stored.</summary>
internal sealed record StoredPolicy(ModerationPolicy Policy, string Text, string ContentHash, string FilePath);
