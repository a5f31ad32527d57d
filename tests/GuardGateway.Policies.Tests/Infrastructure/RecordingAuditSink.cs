using System.Collections.Concurrent;
using GuardGateway.Core.Policies;

namespace GuardGateway.Policies.Tests.Infrastructure;

/// <summary>Keeps every audit record.</summary>
public sealed class RecordingAuditSink : IPolicyAuditSink
{
    private readonly ConcurrentQueue<PolicyAuditRecord> _records = new();

    public IReadOnlyList<PolicyAuditRecord> Records => [.. _records];

    public void Record(PolicyAuditRecord record) => _records.Enqueue(record);
}
