using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Store;

/// <summary>The set and its sources, swapped together in one reference write.</summary>
internal sealed record PolicyStoreSnapshot(PolicySet Set, IReadOnlyDictionary<string, StoredPolicy> Entries);
