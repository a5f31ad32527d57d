using GuardGateway.Core.Backends;
using GuardGateway.Core.Policies;

namespace GuardGateway.Server.Proxy;

/// <summary>One request through the proxy, from either front.</summary>
/// <param name="Request">The parsed request (chat or legacy completion).</param>
/// <param name="Policy">The policy that judges it.</param>
/// <param name="RequestId">Correlation id (logs, upstream <c>X-Request-Id</c>).</param>
/// <param name="Stream">Whether the client asked for a stream (the backend is then called streaming).</param>
internal sealed record ProxyCall(ChatCompletionRequest Request, ModerationPolicy Policy, string RequestId, bool Stream);
