namespace GuardGateway.ModelForge.Tests;

/// <summary>Logits rows of one forward pass and the KV state it produced.</summary>
internal sealed record StepResult(float[][] Logits, DecoderState State) : IDisposable
{
    public void Dispose() => State.Dispose();
}
