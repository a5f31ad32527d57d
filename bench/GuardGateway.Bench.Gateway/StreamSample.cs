namespace GuardGateway.Bench.Gateway;

/// <summary>One measured stream: time to the first content text and to <c>[DONE]</c>, from the moment the request was sent.</summary>
internal sealed record StreamSample(double TtftMs, double TotalMs, int Chars, bool Complete, string? Failure);
