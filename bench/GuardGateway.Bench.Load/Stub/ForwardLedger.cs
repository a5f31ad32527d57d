using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace GuardGateway.Bench.Load.Stub;

/// <summary>
/// The invariant of RELIABILITY.md T1-T3 under load: every id the upstream receives was judged safe on input first.
/// The stub classifier marks ids it judged safe; the fake upstream takes each id it receives off the list (so the
/// ledger stays small during a soak) and counts the ones that were never marked: unmoderated forwards.
/// </summary>
internal sealed partial class ForwardLedger
{
    private readonly ConcurrentDictionary<string, int> judgedSafe = new(StringComparer.Ordinal);
    private long forwarded;
    private long unmoderated;

    public long Forwarded => Interlocked.Read(ref forwarded);

    /// <summary>Ids the upstream received without a recorded safe verdict (must stay 0).</summary>
    public long Unmoderated => Interlocked.Read(ref unmoderated);

    /// <summary>The request id carried in a text (<c>rid-…</c>), or null.</summary>
    public static string? IdIn(string text) => RequestId().Match(text) is { Success: true } match ? match.Value : null;

    /// <summary>One more safe input verdict for <paramref name="id"/> (the same text may be sent more than once).</summary>
    public void MarkSafe(string id) => judgedSafe.AddOrUpdate(id, 1, (_, n) => n + 1);

    /// <summary>The upstream received <paramref name="text"/>: uses up one safe verdict of its id, or counts an unmoderated forward.</summary>
    public void OnForwarded(string text)
    {
        Interlocked.Increment(ref forwarded);
        if (IdIn(text) is not { } id || !TryUse(id))
        {
            Interlocked.Increment(ref unmoderated);
        }
    }

    private bool TryUse(string id)
    {
        while (judgedSafe.TryGetValue(id, out var n))
        {
            var used = n == 1
                ? judgedSafe.TryRemove(new KeyValuePair<string, int>(id, 1))
                : judgedSafe.TryUpdate(id, n - 1, n);
            if (used)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("rid-[a-z0-9-]+")]
    private static partial Regex RequestId();
}
