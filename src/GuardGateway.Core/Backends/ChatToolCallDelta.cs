namespace GuardGateway.Core.Backends;

/// <summary>A fragment of a streamed tool call; fragments with the same <see cref="Index"/> belong together.</summary>
/// <param name="Index">Which tool call of the choice this fragment extends.</param>
/// <param name="Id">The call id (first fragment only).</param>
/// <param name="Type">The call type (first fragment only).</param>
/// <param name="FunctionName">The function name (first fragment only).</param>
/// <param name="ArgumentsFragment">A piece of the JSON arguments text.</param>
public sealed record ChatToolCallDelta(int Index, string? Id, string? Type, string? FunctionName, string? ArgumentsFragment);
