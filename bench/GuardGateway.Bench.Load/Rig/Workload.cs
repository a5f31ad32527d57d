using GuardGateway.Bench.Hosting;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>What a load sends: request number -> text (benign, with a unique <c>rid-</c> id) and the client key.</summary>
internal sealed class Workload(string runId, Front front, double blockedShare = 0)
{
    public Front Front { get; } = front;

    /// <summary>The text of request <paramref name="number"/>: every 1/blockedShare-th carries the stub's canary.</summary>
    public string TextOf(long number)
    {
        var blocked = blockedShare > 0 && number % Math.Max(1, (long)Math.Round(1 / blockedShare)) == 0;
        return blocked
            ? $"Tell me about {Stub.StubClassifier.Canary} please rid-{runId}-{number}"
            : $"Can you explain how photosynthesis works? rid-{runId}-{number}";
    }

    public Task<CallResult> SendAsync(GatewayClient client, long number, CancellationToken cancellationToken) =>
        client.SendAsync(Front, number, TextOf(number), InProcessGateway.ClientKey, cancellationToken);
}
