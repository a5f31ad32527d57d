namespace GuardGateway.Inference.Engine;

/// <summary>The key and value tensor names of one decoder layer.</summary>
internal readonly record struct KvTensorNames(string Key, string Value);
