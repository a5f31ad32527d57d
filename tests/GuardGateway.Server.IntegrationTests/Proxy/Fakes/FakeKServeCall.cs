using GuardGateway.Backends.KServe.Protocol;

namespace GuardGateway.Server.IntegrationTests.Proxy.Fakes;

/// <summary>One inference call the fake KServe server received: the message, its decoded prompt, and how it was encoded.</summary>
internal sealed record FakeKServeCall(ModelInferRequest Request, FakeRequest Record, string Prompt, bool RawInput);
