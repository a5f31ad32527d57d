namespace GuardGateway.ModelForge.Tests;

/// <summary>Greedy output ids (including the stop id) and the verdict-position unsafe probability.</summary>
internal sealed record GuardRun(IReadOnlyList<int> Generated, double UnsafeProbability);
