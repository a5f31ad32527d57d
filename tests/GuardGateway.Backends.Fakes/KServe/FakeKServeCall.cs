using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Backends.Fakes.KServe;

/// <summary>One inference call the fake KServe server received: the message, its decoded prompt, and how it was encoded.</summary>
internal sealed record FakeKServeCall(ModelInferRequest Request, FakeRequest Record, string Prompt, bool RawInput);
