namespace GuardGateway.Core.Backends;

/// <summary>A complete tool call (in a request's assistant message or a unary answer).</summary>
/// <param name="Id">The call id.</param>
/// <param name="Type">The call type (<c>function</c>).</param>
/// <param name="FunctionName">The function name.</param>
/// <param name="Arguments">The arguments, a JSON text as the model produced it (text to moderate).</param>
public sealed record ChatToolCall(string Id, string Type, string FunctionName, string Arguments);
