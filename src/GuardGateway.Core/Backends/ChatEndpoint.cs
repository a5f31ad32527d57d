namespace GuardGateway.Core.Backends;

/// <summary>Which OpenAI-style operation a request is.</summary>
public enum ChatEndpoint
{
    /// <summary><c>POST /v1/chat/completions</c>: a list of messages.</summary>
    ChatCompletions,

    /// <summary><c>POST /v1/completions</c> (legacy): a raw prompt.</summary>
    Completions,
}
