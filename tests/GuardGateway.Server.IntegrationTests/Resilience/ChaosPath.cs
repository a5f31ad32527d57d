namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>The route a T1 request takes: backend kind (fake OpenAI server or fake KServe v2) and unary or streamed.</summary>
public enum ChaosPath
{
    OpenAiUnary,
    OpenAiStream,
    KServeUnary,
    KServeStream,
}
