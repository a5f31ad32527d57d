using GuardGateway.Contracts.V1;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>Request builders.</summary>
internal static class Conversations
{
    public static ModerateRequest Input(string text, string policy = "") => new()
    {
        Messages = { new Message { Role = "user", Content = text } },
        Policy = policy,
    };

    public static ModerateRequest Output(string question, string answer, string policy = "") => new()
    {
        Messages =
        {
            new Message { Role = "user", Content = question },
            new Message { Role = "assistant", Content = answer },
        },
        Policy = policy,
    };
}
