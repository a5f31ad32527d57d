using System.Collections.Concurrent;
using GuardGateway.Core.Policies;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>Keeps every policy audit record (replaces the server's logging sink in a test host).</summary>
internal sealed class RecordingAuditSink : IPolicyAuditSink
{
    private readonly ConcurrentQueue<PolicyAuditRecord> _records = new();

    public IReadOnlyList<PolicyAuditRecord> Records => [.. _records];

    public void Record(PolicyAuditRecord record) => _records.Enqueue(record);
}
