namespace GuardGateway.Bench.Gateway;

/// <summary>
/// One measured stream, from the moment the request was sent: time to the response headers (the gateway sends them
/// after the input check and the upstream's answer), to the first content text, and to <c>[DONE]</c>.
/// </summary>
internal sealed record StreamSample(double HeadersMs, double TtftMs, double TotalMs, int Chars, bool Complete, string? Failure);
