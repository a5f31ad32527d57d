using System.Collections.Concurrent;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Results;
using Polly;
using Polly.Simmy;

namespace GuardGateway.Bench.Load.Stub;

/// <summary>
/// The plan's stub classifier (RELIABILITY.md harness): the production <see cref="IGuardClassifier"/> interface,
/// deterministic (a message containing <see cref="Canary"/> is unsafe, S1; anything else safe), a fixed CPU cost per
/// call on the <see cref="CpuBurnEngine"/>, and faults injected by a Polly chaos strategy at a given rate. It marks
/// every user message it judged safe in the <see cref="ForwardLedger"/> and remembers which request ids met a fault.
/// </summary>
internal sealed class StubClassifier : IGuardClassifier
{
    /// <summary>The phrase the stub flags.</summary>
    public const string Canary = "canary-violence";

    private readonly CpuBurnEngine engine;
    private readonly ForwardLedger ledger;
    private readonly ResiliencePipeline chaos;
    private readonly ConcurrentDictionary<string, byte> faultedIds = new(StringComparer.Ordinal);
    private long calls;
    private long faults;

    public StubClassifier(CpuBurnEngine engine, ForwardLedger ledger, double faultRate)
    {
        this.engine = engine;
        this.ledger = ledger;
        var builder = new ResiliencePipelineBuilder();
        if (faultRate > 0)
        {
            builder.AddChaosFault(faultRate, () => new InjectedFaultException());
        }

        chaos = builder.Build();
    }

    public GuardModelInfo Model { get; } = new("bench-stub (cpu burn)", ["llama-guard-3-8b", "llama-guard-3-1b"], IsDemo: false);

    public long Calls => Interlocked.Read(ref calls);

    /// <summary>Faults injected so far.</summary>
    public long Faults => Interlocked.Read(ref faults);

    /// <summary>Distinct request ids starting with <paramref name="prefix"/> (one run's ids, not the warm-up's) that met at least one injected fault.</summary>
    public int FaultedRequests(string prefix) => faultedIds.Keys.Count(id => id.StartsWith(prefix, StringComparison.Ordinal));

    public async ValueTask<Result<GuardClassification>> ClassifyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        var assessed = request.Messages[^1];
        var id = ForwardLedger.IdIn(assessed.Role == ChatRole.User ? assessed.Content : request.Messages[0].Content);
        try
        {
            await chaos.ExecuteAsync(static async (engine, ct) => await engine.BurnAsync(ct), engine, cancellationToken);
        }
        catch (InjectedFaultException) when (RecordFault(id))
        {
            // Never reached: the filter records and lets the fault through to the gateway's pipeline.
        }

        var unsafeText = assessed.Content.Contains(Canary, StringComparison.Ordinal);
        if (!unsafeText && assessed.Role == ChatRole.User && id is not null)
        {
            ledger.MarkSafe(id);
        }

        string[] codes = unsafeText ? ["S1"] : [];
        return new GuardClassification
        {
            Outcome = unsafeText ? GuardOutcome.Unsafe : GuardOutcome.Safe,
            Categories = codes,
            UnsafeProbability = unsafeText ? 0.97f : 0.02f,
            CategoryScores = codes.ToDictionary(c => c, _ => 0.97f),
            RawOutput = unsafeText ? "unsafe\nS1" : "safe",
            PromptTokens = 10,
            PrefillTokens = 10,
            GeneratedTokens = 2,
            Timings = new ClassificationTimings(engine.BurnPerCall, TimeSpan.Zero, TimeSpan.Zero, engine.BurnPerCall),
            Model = Model.Name,
        };
    }

    private bool RecordFault(string? id)
    {
        Interlocked.Increment(ref faults);
        if (id is not null)
        {
            faultedIds.TryAdd(id, 0);
        }

        return false;
    }
}
