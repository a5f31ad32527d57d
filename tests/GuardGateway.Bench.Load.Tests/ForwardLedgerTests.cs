using GuardGateway.Bench.Load.Stub;

namespace GuardGateway.Bench.Load.Tests;

public sealed class ForwardLedgerTests
{
    [Fact]
    public void OnForwarded_OnlyIdsJudgedSafe_OncePerVerdict()
    {
        var ledger = new ForwardLedger();
        ledger.MarkSafe("rid-a-1");
        ledger.MarkSafe("rid-a-2");
        ledger.MarkSafe("rid-a-2");

        ledger.OnForwarded("hello rid-a-1");
        ledger.OnForwarded("hello rid-a-2");
        ledger.OnForwarded("hello rid-a-2");
        Assert.Equal(0, ledger.Unmoderated);

        ledger.OnForwarded("hello rid-a-1"); // a second forward with one verdict
        ledger.OnForwarded("hello rid-a-3"); // never judged
        ledger.OnForwarded("no id at all");
        Assert.Equal(3, ledger.Unmoderated);
        Assert.Equal(6, ledger.Forwarded);
    }
}
