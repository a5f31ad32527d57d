namespace GuardGateway.Core.Policies;

/// <summary>Receives an audit record for every applied policy change (admin API and file reloads).</summary>
public interface IPolicyAuditSink
{
    /// <summary>Records one change. Called after the change is applied; must not throw.</summary>
    void Record(PolicyAuditRecord record);
}
