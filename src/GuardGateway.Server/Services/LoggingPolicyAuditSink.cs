using GuardGateway.Core.Policies;
using GuardGateway.Server.Logging;
using GuardGateway.Server.Metrics;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Services;

/// <summary>Writes every applied policy change as a structured audit log event (event id 400) and counts it.</summary>
internal sealed class LoggingPolicyAuditSink(GuardMetrics metrics, ILogger<LoggingPolicyAuditSink> logger) : IPolicyAuditSink
{
    public void Record(PolicyAuditRecord record)
    {
        var operation = record.Change switch
        {
            PolicyChangeKind.Created => "created",
            PolicyChangeKind.Updated => "updated",
            PolicyChangeKind.Deleted => "deleted",
            _ => "changed",
        };
        metrics.PolicyChanged(operation);
        ServerLog.PolicyAudit(logger, operation, record.PolicyId, record.OldVersion ?? "-", record.NewVersion ?? "-", record.Actor);
    }
}
