using Microsoft.ML.OnnxRuntime.Tensors;

namespace GuardGateway.ModelForge.Tests;

public sealed class PlantedGuardContractTests(PlantedGuardFixture guard) : IClassFixture<PlantedGuardFixture>
{
    [Fact]
    public void Session_PlantedGuard_DeclaresTheExportContract()
    {
        var session = guard.Decoder.Session;

        Assert.Equal(
            ["input_ids", "attention_mask", "position_ids", "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value"],
            session.InputMetadata.Keys.ToArray());
        Assert.Equal(
            ["logits", "present.0.key", "present.0.value", "present.1.key", "present.1.value"],
            session.OutputMetadata.Keys.ToArray());
        TinyLlamaContractTests.AssertTensor(session.InputMetadata["position_ids"], TensorElementType.Int64, ["batch_size", "sequence_length"], [-1, -1]);
        TinyLlamaContractTests.AssertTensor(session.InputMetadata["past_key_values.0.key"], TensorElementType.Float, ["batch_size", "", "past_sequence_length", ""], [-1, 2, -1, 16]);
        TinyLlamaContractTests.AssertTensor(session.OutputMetadata["logits"], TensorElementType.Float, ["batch_size", "sequence_length", ""], [-1, -1, 128256]);
        TinyLlamaContractTests.AssertTensor(session.OutputMetadata["present.1.value"], TensorElementType.Float, ["batch_size", "", "total_sequence_length", ""], [-1, 2, -1, 16]);
    }

    [Fact]
    public void Run_Prefill_GrowsEveryPresentBySequence()
    {
        using var step = guard.Decoder.Forward([[128000, 1502, 25, 13054, 271]], [TinyLlamaNumericsTests.Ones(5)]);
        using var next = guard.Decoder.Forward([[39257]], [TinyLlamaNumericsTests.Ones(6)], step.State);

        Assert.Equal([1L, 2, 5, 16], step.State.Shape(1, "value"));
        Assert.Equal([1L, 2, 6, 16], next.State.Shape(0, "key"));
        Assert.Equal([1L, 2, 6, 16], next.State.Shape(1, "value"));
    }
}
