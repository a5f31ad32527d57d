using GuardGateway.Contracts.V1;
using Grpc.Core;

namespace GuardGateway.Bench.Abuse;

/// <summary>The legitimate requests the benches send: benign texts, the client key, a deadline.</summary>
internal static class Calls
{
    public const string Model = "llama-3-8b";

    public static ModerateRequest Benign() => new() { Messages = { new Message { Role = "user", Content = "What is the capital of France?" } } };

    public static ChatRequest Chat(string text) => new() { Model = Model, Messages = { new ChatTurn { Role = "user", Content = text } } };

    public static CallOptions Options(TimeSpan deadline, CancellationToken cancellationToken = default) => new(
        headers: new Metadata { { "authorization", "Bearer " + GatewayProcess.ClientKey } },
        deadline: DateTime.UtcNow + deadline,
        cancellationToken: cancellationToken);
}
