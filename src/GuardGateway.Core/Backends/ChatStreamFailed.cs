using GuardGateway.Core.Results;

namespace GuardGateway.Core.Backends;

/// <summary>
/// The stream broke after it was opened (disconnect, malformed data, an error event, idle timeout,
/// cancellation). Terminal. The answer so far is incomplete and must not be presented as a clean finish.
/// </summary>
/// <param name="Error">What went wrong.</param>
public sealed record ChatStreamFailed(GuardError Error) : ChatStreamEvent;
